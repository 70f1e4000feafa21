// Off-thread `module.register` hooks (Node >= 20.6). Registered BEFORE tsx, so tsx's load hook
// reaches this one through `nextLoad` and transpiles text that still has its `// @trace` comments.
import { fileURLToPath } from 'node:url';
import { mayHoldDirectives, mayRewrite, nodeAdapter } from './node-adapter.mjs';

export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context);
  // CommonJS modules come back with `source: null` on Node 20; the CommonJS hook handles them.
  if (!url.startsWith('file:') || loaded.source == null) return loaded;
  const filename = fileURLToPath(url);
  if (!mayRewrite(filename)) return loaded;
  const source = typeof loaded.source === 'string' ? loaded.source : Buffer.from(loaded.source).toString('utf8');
  if (!mayHoldDirectives(source)) return loaded;
  // 'module', 'commonjs', and their '-typescript' forms (Node 22's type stripping).
  const format = typeof loaded.format === 'string' ? loaded.format : '';
  const loadedAs = format.startsWith('module') ? 'module' : format.startsWith('commonjs') ? 'commonjs' : undefined;
  const rewritten = nodeAdapter()?.rewriteModuleSource(source, filename, loadedAs);
  return rewritten === undefined ? loaded : { ...loaded, source: rewritten };
}
