// `node --import @tracewright/transformer/register --import tsx app.ts`
// Order matters: module hooks run last-registered-first, so registering before tsx puts this
// rewrite between tsx and the file system, where `// @trace` comments still exist.
import Module, { register } from 'node:module';
import { installCjsHook } from './cjs-hook.mjs';

// Node 20 has no TypeScript handler of its own: one already in place means a TypeScript loader
// ran first, and ES modules would reach our hook transpiled, their comments gone.
if (Module._extensions['.ts'] && !process.features.typescript) {
  process.emitWarning(
    'a TypeScript loader (tsx?) was registered before @tracewright/transformer/register, so ES modules reach it without their // @trace comments. Put `--import @tracewright/transformer/register` first.',
    { code: 'TRACEWRIGHT_LOADER_ORDER' },
  );
}

process.setSourceMapsEnabled(true);
register('./esm-hooks.mjs', import.meta.url);
installCjsHook();
