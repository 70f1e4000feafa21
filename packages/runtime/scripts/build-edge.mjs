// Builds dist/edge: the edge entry (src/edge.ts) and the serverless helpers, bundled into ESM
// with code splitting (one shared core chunk, so both entries see one tracer), every module
// that has a `.edge.ts` sibling replaced by it. Types come from tsc's dist/esm.
import { build } from 'esbuild';
import { edgeSwapPlugin } from './edge-swap.mjs';

const result = await build({
  entryPoints: { index: 'src/edge.ts', serverless: 'src/serverless/index.ts' },
  outdir: 'dist/edge',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  metafile: true,
  plugins: [edgeSwapPlugin],
  logLevel: 'warning',
});

// A node:* import would fail the bundle on workerd without nodejs_compat and in browsers.
const nodeImports = Object.entries(result.metafile.inputs).flatMap(([file, input]) =>
  input.imports.filter((i) => i.path.startsWith('node:')).map((i) => `${file} -> ${i.path}`),
);
if (nodeImports.length > 0) {
  console.error(`edge build imports Node built-ins:\n  ${nodeImports.join('\n  ')}`);
  process.exit(1);
}
