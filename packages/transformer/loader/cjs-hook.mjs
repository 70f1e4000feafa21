// CommonJS path: `require()` of a TypeScript file under tsx, and plain CommonJS JavaScript.
// tsx's extension handler reads the file itself and strips comments while transpiling, so
// wrapping `_compile` alone would be too late. We own the handler slots instead: whatever
// handler tsx (or anyone) installs later is wrapped, and while it runs, reading this one file
// yields the rewritten source.
import fs from 'node:fs';
import Module from 'node:module';
import { mayHoldDirectives, mayRewrite, nodeAdapter } from './node-adapter.mjs';

// The slots tsx fills. '.js' matters most: Node hands .cts, .mts and every other unregistered
// extension to the '.js' handler.
const EXTENSIONS = ['.js', '.ts', '.tsx', '.jsx', '.mjs'];
const active = new Set();

function wrap(handler) {
  return function tracewrightExtension(module, filename) {
    if (active.has(filename) || !mayRewrite(filename)) return handler.call(this, module, filename);
    const source = fs.readFileSync(filename, 'utf8');
    const rewritten = mayHoldDirectives(source) ? nodeAdapter()?.rewriteModuleSource(source, filename, 'commonjs') : undefined;
    if (rewritten === undefined) return handler.call(this, module, filename);
    // Handlers that transpile (tsx) read the file themselves: they get the rewritten text.
    const readFileSync = fs.readFileSync;
    fs.readFileSync = function readRewritten(path, options) {
      if (path !== filename) return readFileSync.apply(this, arguments);
      const encoding = typeof options === 'string' ? options : options?.encoding;
      return encoding ? rewritten : Buffer.from(rewritten);
    };
    // Node's own handler may compile a copy of the source it read earlier (the entry module,
    // analysed for its exports): compiling exactly the original text means the rewrite is due.
    const compile = module._compile;
    const compileRewritten = function (content, name) {
      module._compile = compile;
      return compile.call(this, content === source ? rewritten : content, name);
    };
    module._compile = compileRewritten;
    active.add(filename);
    try {
      return handler.call(this, module, filename);
    } finally {
      active.delete(filename);
      fs.readFileSync = readFileSync;
      if (module._compile === compileRewritten) module._compile = compile;
    }
  };
}

export function installCjsHook() {
  const extensions = Module._extensions;
  for (const ext of EXTENSIONS) {
    let current = extensions[ext];
    let wrapped = current && wrap(current);
    Object.defineProperty(extensions, ext, {
      configurable: true,
      enumerable: true,
      // Node picks a handler by `hasOwnProperty`, so an empty slot must behave like the '.js'
      // fallback Node would have used had the slot not existed.
      get: () => wrapped ?? (ext === '.js' ? undefined : extensions['.js']),
      set(handler) {
        current = handler;
        wrapped = handler && wrap(handler);
      },
    });
  }
}
