// webpack loader that strips TypeScript types with esbuild, standing in for ts-loader /
// esbuild-loader / swc-loader after the tracewright rewrite (which runs as a 'pre' loader).
const { transformSync } = require('esbuild');

const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx' };

module.exports = function stripTypes(code) {
  const ext = this.resourcePath.slice(this.resourcePath.lastIndexOf('.'));
  const out = transformSync(code, { loader: LOADERS[ext] ?? 'js', format: 'esm', target: 'node20', sourcemap: true, sourcefile: this.resourcePath });
  this.callback(null, out.code, out.map);
};
