// One real build per adapter over a set of entry files. Each returns the runnable module it
// built for every entry: ESM as <name>.mjs, CommonJS as <name>.cjs. Imports of @tracewright/*
// stay external, resolved at run time to this workspace.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';
import { transform as esbuildTransform, build as esbuildBuild, type Loader } from 'esbuild';
import { rollup, type Plugin as RollupPlugin } from 'rollup';
import { build as viteBuild } from 'vite';
import tracewrightEsbuild from '../esbuild.js';
import tracewrightRollup from '../rollup.js';
import tracewrightVite from '../vite.js';
import tracewrightWebpack from '../webpack.js';
import { REPO, SOURCE_MODE, runNode } from './workspace.js';

/** case name → absolute path */
export type Entries = Record<string, string>;
export type Format = 'esm' | 'cjs';
export type Builder = (entries: Entries, outDir: string, format: Format) => Promise<Entries>;

const WORKSPACE_IMPORT = /^@tracewright\//;
const isExternal = (id: string) => WORKSPACE_IMPORT.test(id) || id.startsWith('node:');
const outExt = (format: Format) => (format === 'esm' ? '.mjs' : '.cjs');
const outputs = (entries: Entries, outDir: string, format: Format): Entries =>
  Object.fromEntries(Object.keys(entries).map((name) => [name, join(outDir, `${name}${outExt(format)}`)]));

export function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

export const buildWithVite: Builder = async (entries, outDir, format) => {
  await viteBuild({
    configFile: false,
    root: outDir,
    logLevel: 'silent',
    plugins: [tracewrightVite()],
    build: {
      ssr: true,
      outDir,
      emptyOutDir: false,
      minify: false,
      sourcemap: true,
      rollupOptions: { input: entries, external: isExternal, output: { format: format === 'esm' ? 'es' : 'cjs', entryFileNames: `[name]${outExt(format)}` } },
    },
  });
  return outputs(entries, outDir, format);
};

export const buildWithEsbuild: Builder = async (entries, outDir, format) => {
  await esbuildBuild({
    entryPoints: entries,
    bundle: true,
    format,
    platform: 'node',
    target: 'node20',
    outdir: outDir,
    outExtension: { '.js': outExt(format) },
    external: ['@tracewright/*'],
    sourcemap: true,
    logLevel: 'silent',
    plugins: [tracewrightEsbuild()],
  });
  return outputs(entries, outDir, format);
};

const LOADERS: Record<string, Loader> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx' };

/**
 * Rollup has no TypeScript support of its own: esbuild strips types after our rewrite, and
 * `./x.js` specifiers find `./x.ts` as TypeScript's resolution does.
 */
export function stripTypes(): RollupPlugin {
  return {
    name: 'strip-types',
    async resolveId(source, importer) {
      if (!importer || !source.startsWith('.') || !source.endsWith('.js')) return null;
      const candidate = join(dirname(importer), source.replace(/\.js$/, '.ts'));
      return existsSync(candidate) ? candidate : null;
    },
    async transform(code, id) {
      const loader = LOADERS[extname(id)];
      if (!loader) return null;
      const out = await esbuildTransform(code, { loader, format: 'esm', target: 'node20', sourcemap: true, sourcefile: id });
      return { code: out.code, map: out.map };
    },
  };
}

export const buildWithRollup: Builder = async (entries, outDir, format) => {
  const bundle = await rollup({ input: entries, external: isExternal, plugins: [tracewrightRollup(), stripTypes()], onwarn: () => undefined });
  await bundle.write({ dir: outDir, format: format === 'esm' ? 'es' : 'cjs', entryFileNames: `[name]${outExt(format)}`, sourcemap: true });
  await bundle.close();
  return outputs(entries, outDir, format);
};

export const buildWithWebpack: Builder = async (entries, outDir, format) => {
  const { default: webpack } = await import('webpack');
  const esm = format === 'esm';
  const compiler = webpack({
    mode: 'none',
    target: 'node20',
    context: outDir,
    entry: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, { import: file }])),
    output: esm
      ? { path: outDir, filename: '[name].mjs', module: true, library: { type: 'module' }, chunkFormat: 'module' }
      : { path: outDir, filename: '[name].cjs', library: { type: 'commonjs2' } },
    experiments: { outputModule: esm },
    externalsType: esm ? 'module' : 'commonjs',
    externals: [({ request }, callback) => (request && WORKSPACE_IMPORT.test(request) ? callback(undefined, request) : callback())],
    resolve: { extensions: ['.ts', '.tsx', '.mts', '.cts', '.js'], extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } },
    module: { rules: [{ test: /\.[cm]?tsx?$/, loader: join(REPO, 'packages/transformer/src/adapters/__tests__/strip-types-loader.cjs') }] },
    plugins: [tracewrightWebpack()],
    devtool: 'source-map',
    optimization: { minimize: false },
  });
  await new Promise<void>((done, fail) =>
    compiler.run((error, stats) => {
      compiler.close(() => undefined);
      if (error) fail(error);
      else if (stats?.hasErrors()) fail(new Error(stats.toString({ all: false, errors: true })));
      else done();
    }),
  );
  return outputs(entries, outDir, format);
};

/**
 * The CLI as a TypeScript 7 user runs it: `tracewright-rewrite src out/src` (a real process),
 * then the real `tsc` compiles the rewritten tree (here TypeScript 5.9's tsc with --noCheck
 * standing in for the native one; the rewritten files are ordinary TypeScript either way).
 * `entries` must all live under one directory, `srcDir`.
 */
export async function buildWithCli(entries: Entries, srcDir: string, outDir: string): Promise<Entries> {
  const rewritten = join(outDir, 'src');
  const cli = await runNode([...SOURCE_MODE, join(REPO, 'packages/transformer/src/adapters/cli-main.ts'), srcDir, rewritten]);
  if (cli.code !== 0) throw new Error(`tracewright-rewrite failed (${cli.code}):\n${cli.stderr}`);
  const js = join(outDir, 'js');
  writeFile(join(js, 'package.json'), '{ "type": "module" }\n');
  const sources = Object.values(entries).map((file) => join(rewritten, relative(srcDir, file)));
  const tsc = await runNode([
    join(REPO, 'node_modules/typescript/bin/tsc'),
    ...['--noCheck', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext'],
    ...['--rootDir', rewritten, '--outDir', js, '--sourceMap', '--skipLibCheck', '--types', 'node'],
    ...sources,
  ]);
  if (tsc.code !== 0) throw new Error(`tsc failed (${tsc.code}):\n${tsc.stdout}${tsc.stderr}`);
  const jsExt = (file: string) => file.replace(/\.ts$/, '.js').replace(/\.cts$/, '.cjs').replace(/\.mts$/, '.mjs');
  return Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, join(js, jsExt(relative(srcDir, file)))]));
}
