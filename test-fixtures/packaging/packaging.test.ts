/**
 * The built packages as users consume them (`npm test` builds first):
 *
 *  1. @tracewright/runtime from dist/ with plain Node — once through `import`, once through
 *     `require` — both copies share one tracer.
 *  2. The tarballs `npm pack` makes of runtime, transformer and cli, installed with
 *     `npm install --prefer-offline` into a fresh project outside the repository, used from
 *     an ES module project, a CommonJS project, and TypeScript projects with
 *     `moduleResolution` node16 and bundler (`tsc --noEmit` over a file importing every
 *     subpath); the packed transformer compiles `// @trace` with tspc and rewrites it through
 *     the Node loader; the packed CLI reads what the packed runtime wrote.
 *
 * The subpath lists come from each package's own "exports" map, so a new subpath is checked
 * without editing this file.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = join(__dirname, '..', '..');
const runtimeDist = join(root, 'packages', 'runtime', 'dist');
const run = promisify(execFile);

test('ESM and CommonJS consumers share one tracer', () => {
  expect(existsSync(join(runtimeDist, 'esm', 'index.js')), 'run `npm run build` first').toBe(true);
  expect(existsSync(join(runtimeDist, 'cjs', 'index.js'))).toBe(true);
  expect(existsSync(join(runtimeDist, 'esm', 'index.d.ts'))).toBe(true);
  const dir = mkdtempSync(join(root, '.tmp-packaging-'));
  const script = join(dir, 'consumer.mjs');
  writeFileSync(
    script,
    `
    import { createRequire } from 'node:module';
    import * as esm from '@tracewright/runtime';
    const cjs = createRequire(import.meta.url)('@tracewright/runtime');
    const memory = new esm.InMemoryDestination();
    cjs.setDestination(memory);
    const inner = esm.trace(function inner(x) { return x * 2; }, esm.SpanType.TOOL);
    cjs.withSpan(() => inner(21), { name: 'outer' });
    const spans = memory.traces[0].data.spans;
    console.log(JSON.stringify({
      distinctModules: esm.trace !== cjs.trace,
      spans: spans.map((s) => ({ name: s.name, parent: s.parentId ? spans.find((p) => p.spanId === s.parentId).name : null, outputs: s.outputs })),
    }));
    `,
  );
  let out: unknown;
  try {
    out = JSON.parse(execFileSync(process.execPath, [script], { cwd: dir, encoding: 'utf8' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  expect(out).toEqual({
    distinctModules: true,
    spans: [
      { name: 'outer', parent: null, outputs: 42 },
      { name: 'inner', parent: 'outer', outputs: 42 },
    ],
  });
});

// ---------------------------------------------------------------------------------------
// Packed tarballs in fresh projects

const PACKAGES = ['runtime', 'transformer', 'cli'] as const;

interface Subpath {
  specifier: string;
  /** Has a "require" condition (CommonJS consumers can require() it). */
  requirable: boolean;
  /** Has type declarations (TypeScript consumers can import it by name). */
  typed: boolean;
}

function subpathsOf(pkg: (typeof PACKAGES)[number]): Subpath[] {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> };
  return Object.entries(manifest.exports)
    .filter(([key]) => key !== './package.json')
    .map(([key, target]) => {
      const text = JSON.stringify(target);
      return { specifier: key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`, requirable: text.includes('"require"'), typed: text.includes('"types"') };
    });
}

const SUBPATHS = PACKAGES.flatMap(subpathsOf);
/** What a user of each optional integration has installed anyway (peer dependencies). */
const PEERS = ['@langchain/core', 'rxjs', '@opentelemetry/api'];
/** Consumer tooling, pinned to the versions the workspace uses so the warm npm cache has them. */
const TOOLS = ['typescript', 'ts-patch', '@types/node'];

let work: string;
let app: string;

const versionOf = (name: string) => (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

async function node(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd, maxBuffer: 32 << 20, env: { ...process.env, NODE_OPTIONS: '' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? String(e) };
  }
}

function project(name: string, files: Record<string, string>): string {
  const dir = join(app, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

describe('packed tarballs installed into fresh projects', () => {
  beforeAll(async () => {
    for (const pkg of PACKAGES) expect(existsSync(join(root, 'packages', pkg, 'dist', 'esm', 'index.js')), `run \`npm run build\` first (${pkg})`).toBe(true);
    // Outside the repository: nothing may resolve from the workspace's node_modules.
    work = mkdtempSync(join(tmpdir(), 'tw-packaging-'));
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', work, ...PACKAGES.flatMap((p) => ['-w', `@tracewright/${p}`])], { cwd: root, encoding: 'utf8' }),
    ) as Array<{ filename: string }>;
    app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    const specs = [...packed.map((p) => join(work, p.filename)), ...[...PEERS, ...TOOLS].map((n) => `${n}@${versionOf(n)}`)];
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs], { cwd: app, stdio: ['ignore', 'ignore', 'pipe'] });
  }, 300_000);

  afterAll(() => {
    if (work && process.env.KEEP_SCRATCH !== '1') rmSync(work, { recursive: true, force: true });
  });

  test('the tarballs are what got installed: built files, no workspace link', () => {
    for (const pkg of PACKAGES) {
      const installed = join(app, 'node_modules', '@tracewright', pkg);
      expect(existsSync(join(installed, 'package.json')), `@tracewright/${pkg} installed`).toBe(true);
      expect(existsSync(join(installed, 'src')), `@tracewright/${pkg} ships no sources`).toBe(false);
      expect(existsSync(join(installed, 'dist', 'esm', 'index.js')), `@tracewright/${pkg} ships dist`).toBe(true);
    }
  });

  test('every source map shipped carries its sources (bundlers warn, once per module, about maps pointing at missing files)', () => {
    const incomplete: string[] = [];
    let maps = 0;
    for (const pkg of PACKAGES) {
      const installed = join(app, 'node_modules', '@tracewright', pkg);
      for (const file of readdirSync(installed, { recursive: true, encoding: 'utf8' })) {
        if (!file.endsWith('.js.map')) continue;
        maps++;
        const map = JSON.parse(readFileSync(join(installed, file), 'utf8')) as { sources: string[]; sourcesContent?: Array<string | null> };
        map.sources.forEach((source, i) => {
          if (typeof map.sourcesContent?.[i] !== 'string' && !existsSync(join(installed, dirname(file), source))) incomplete.push(`@tracewright/${pkg}/${file}: ${source}`);
        });
      }
    }
    expect(maps, 'source maps shipped').toBeGreaterThan(100);
    expect(incomplete.slice(0, 5), `${incomplete.length} sources neither shipped nor embedded`).toEqual([]);
  });

  test('ES module project: every subpath imports; a traced call records a span', async () => {
    const dir = project('esm', {
      'package.json': JSON.stringify({ type: 'module' }),
      'main.js': `
        const subpaths = ${JSON.stringify(SUBPATHS.map((s) => s.specifier))};
        const loaded = {};
        for (const s of subpaths) {
          try { loaded[s] = Object.keys(await import(s)).length > 0 || s.endsWith('/register') ? 'ok' : 'empty module'; }
          catch (e) { loaded[s] = String(e && e.message || e).split('\\n')[0]; }
        }
        const { trace, InMemoryDestination, setDestination } = await import('@tracewright/runtime');
        const memory = new InMemoryDestination();
        setDestination(memory);
        const add = trace(function add(a, b) { return a + b; });
        const value = add(2, 3);
        const pkg = (await import('@tracewright/runtime/package.json', { with: { type: 'json' } })).default;
        console.log(JSON.stringify({ loaded, value, spans: memory.traces.flatMap((t) => t.data.spans.map((s) => [s.name, s.inputs, s.outputs])), version: pkg.version }));
      `,
    });
    const out = await node(['main.js'], dir);
    expect(out.stderr, 'stderr').toBe('');
    const result = JSON.parse(out.stdout) as { loaded: Record<string, string> };
    expect(result).toEqual({
      loaded: Object.fromEntries(SUBPATHS.map((s) => [s.specifier, 'ok'])),
      value: 5,
      spans: [['add', { a: 2, b: 3 }, 5]],
      version: '0.2.0',
    });
  }, 120_000);

  test('CommonJS project: require() every subpath that has a require condition, import() the rest', async () => {
    const dir = project('cjs', {
      'package.json': JSON.stringify({ type: 'commonjs' }),
      'main.js': `
        const subpaths = ${JSON.stringify(SUBPATHS)};
        (async () => {
          const loaded = {};
          for (const s of subpaths) {
            try {
              const mod = s.requirable ? require(s.specifier) : await import(s.specifier);
              loaded[s.specifier] = (s.requirable ? 'require' : 'import') + (Object.keys(mod).length > 0 || s.specifier.endsWith('/register') ? ' ok' : ' empty module');
            } catch (e) { loaded[s.specifier] = String(e && e.message || e).split('\\n')[0]; }
          }
          const { trace, InMemoryDestination, setDestination } = require('@tracewright/runtime');
          const memory = new InMemoryDestination();
          setDestination(memory);
          const add = trace(function add(a, b) { return a + b; });
          console.log(JSON.stringify({ loaded, value: add(2, 3), spans: memory.traces.length, version: require('@tracewright/runtime/package.json').version }));
        })();
      `,
    });
    const out = await node(['main.js'], dir);
    expect(out.stderr, 'stderr').toBe('');
    expect(JSON.parse(out.stdout)).toEqual({
      loaded: Object.fromEntries(SUBPATHS.map((s) => [s.specifier, `${s.requirable ? 'require' : 'import'} ok`])),
      value: 5,
      spans: 1,
      version: '0.2.0',
    });
  }, 120_000);

  const importEvery = (subpaths: Subpath[]) =>
    [
      ...subpaths.filter((s) => s.typed).map((s, i) => `import * as m${i} from '${s.specifier}';`),
      ...subpaths.filter((s) => !s.typed).map((s) => `import '${s.specifier}';`),
      `import { trace, Trace, SpanType, type TraceOptions, type Span } from '@tracewright/runtime';`,
      `export const modules = [${subpaths.filter((s) => s.typed).map((_s, i) => `m${i}`).join(', ')}];`,
      `const options: TraceOptions = { name: 'add', spanType: SpanType.TOOL };`,
      `export const add = trace((a: number, b: number): number => a + b, options);`,
      `export const sum: number = add(1, 2);`,
      `export class Service { @Trace() run(x: string): string { return x; } }`,
      `export type First = Span['name'];`,
      '',
    ].join('\n');

  // skipLibCheck as `tsc --init` sets it: the bundler adapters' declarations name the bundler
  // (and unplugin's name every bundler it supports), which only its users have installed.
  const tsconfig = (compilerOptions: Record<string, unknown>) =>
    JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, types: ['node'], ...compilerOptions }, include: ['*.ts', '*.cts', '*.mts'] });

  async function tscNoEmit(dir: string): Promise<void> {
    const out = await node([join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--pretty', 'false'], dir);
    expect(out.stdout + out.stderr, `tsc --noEmit in ${dir}`).toBe('');
    expect(out.code).toBe(0);
  }

  test('TypeScript, moduleResolution node16: every subpath resolves with types (ESM and CommonJS files)', async () => {
    const requirable = SUBPATHS.filter((s) => s.requirable && s.typed);
    const dir = project('ts-node16', {
      'package.json': JSON.stringify({ type: 'module' }),
      'tsconfig.json': tsconfig({ module: 'node16', moduleResolution: 'node16', target: 'ES2022' }),
      'all.ts': importEvery(SUBPATHS),
      'all-cjs.cts': [...requirable.map((s, i) => `import r${i} = require('${s.specifier}');`), `export const modules = [${requirable.map((_s, i) => `r${i}`).join(', ')}];`, `export const traced = r0.trace((x: number) => x * 2);`, ''].join('\n'),
    });
    await tscNoEmit(dir);
  }, 120_000);

  test('TypeScript, moduleResolution bundler: every subpath resolves with types', async () => {
    const dir = project('ts-bundler', {
      'package.json': JSON.stringify({ type: 'module' }),
      'tsconfig.json': tsconfig({ module: 'esnext', moduleResolution: 'bundler', target: 'ES2022' }),
      'all.ts': importEvery(SUBPATHS),
    });
    await tscNoEmit(dir);
  }, 120_000);

  test('our declaration files are valid under skipLibCheck: false (all but the bundler adapters)', async () => {
    const own = SUBPATHS.filter((s) => !/\/(vite|rollup|esbuild|webpack)$/.test(s.specifier));
    const dir = project('ts-libcheck', {
      'package.json': JSON.stringify({ type: 'module' }),
      'tsconfig.json': tsconfig({ module: 'node16', moduleResolution: 'node16', target: 'ES2022', skipLibCheck: false }),
      'all.ts': importEvery(own),
    });
    await tscNoEmit(dir);
  }, 120_000);

  const TRACED_SOURCE = (ts: boolean) => `
import { InMemoryDestination, setDestination } from '@tracewright/runtime';
const memory = new InMemoryDestination();
setDestination(memory);

// @trace(TOOL)
function greet(name${ts ? ': string' : ''}, punctuation = '!') {
  return 'hello ' + name + punctuation;
}

const out = greet('ada');
console.log(JSON.stringify({ out, spans: memory.traces.flatMap((t) => t.data.spans.map((s) => [s.name, s.spanType, s.inputs, s.outputs])) }));
`;
  const GREETED = { out: 'hello ada!', spans: [['greet', 'TOOL', { name: 'ada', punctuation: '!' }, 'hello ada!']] };

  test('the packed transformer as a ts-patch plugin: tspc compiles // @trace, the output records the span', async () => {
    const dir = project('tspc', {
      'package.json': JSON.stringify({ type: 'module' }),
      'tsconfig.json': JSON.stringify({
        compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'ES2022', strict: true, skipLibCheck: true, outDir: 'out', types: ['node'], plugins: [{ transform: '@tracewright/transformer' }] },
        include: ['main.ts'],
      }),
      'main.ts': TRACED_SOURCE(true),
    });
    const compiled = await node([join(app, 'node_modules', 'ts-patch', 'bin', 'tspc.js'), '-p', 'tsconfig.json', '--pretty', 'false'], dir);
    expect(compiled.stdout + compiled.stderr, 'tspc output').toBe('');
    const out = await node(['out/main.js'], dir);
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual(GREETED);
  }, 120_000);

  test('the packed Node loader: node --import @tracewright/transformer/register rewrites // @trace', async () => {
    const dir = project('loader', { 'package.json': JSON.stringify({ type: 'module' }), 'main.js': TRACED_SOURCE(false) });
    const out = await node(['--import', '@tracewright/transformer/register', 'main.js'], dir);
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual(GREETED);
  }, 120_000);

  test('the packed CLI reads the traces the packed runtime wrote to ./mlruns', async () => {
    const dir = project('cli', {
      'package.json': JSON.stringify({ type: 'module' }),
      'main.js': `import { trace } from '@tracewright/runtime';\nconst answer = trace(function answer(q) { return q.length; });\nanswer('what?');\n`,
    });
    const wrote = await node(['main.js'], dir);
    expect(wrote.stderr).toBe('');
    const bin = join(app, 'node_modules', '@tracewright', 'cli', 'bin', 'tracewright.js');
    const version = await node([bin, '--version'], dir);
    expect(version.stdout.trim()).toBe('0.2.0');
    const search = await node([bin, 'traces', 'search', '--json'], dir);
    expect(search.stderr).toBe('');
    const found = JSON.parse(search.stdout) as { traces: Array<{ request_preview?: string; trace_metadata?: Record<string, string> }> };
    expect(found.traces).toHaveLength(1);
  }, 120_000);
});
