// CommonJS path: `require()` of a TypeScript file under tsx. tsx's extension handler reads the
// file itself and strips comments while transpiling, so wrapping `_compile` would be too late.
// We own the handler slots instead: whatever handler tsx (or anyone) installs later is wrapped,
// and while it runs, reading this one file yields the rewritten source.
import fs from 'node:fs';
import Module from 'node:module';
import { mayRewrite, nodeAdapter } from './node-adapter.mjs';

// The slots tsx fills. '.js' matters most: Node hands .cts, .mts and every other unregistered
// extension to the '.js' handler.
const EXTENSIONS = ['.js', '.ts', '.tsx', '.jsx', '.mjs'];
const active = new Set();

function wrap(handler) {
  return function tracewrightExtension(module, filename) {
    if (active.has(filename) || !mayRewrite(filename)) return handler.call(this, module, filename);
    const rewritten = nodeAdapter()?.rewriteModuleSource(fs.readFileSync(filename, 'utf8'), filename);
    if (rewritten === undefined) return handler.call(this, module, filename);
    const readFileSync = fs.readFileSync;
    fs.readFileSync = function readRewritten(path, options) {
      if (path !== filename) return readFileSync.apply(this, arguments);
      const encoding = typeof options === 'string' ? options : options?.encoding;
      return encoding ? rewritten : Buffer.from(rewritten);
    };
    active.add(filename);
    try {
      return handler.call(this, module, filename);
    } finally {
      active.delete(filename);
      fs.readFileSync = readFileSync;
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
