// Zero boilerplate, end to end (issue 12 item 6): a program whose only tracing is `// @trace`
// comments imports nothing from @tracewright/runtime, yet its traces reach the default
// destination (./mlruns, or MLFLOW_TRACKING_URI) through every adapter. The traced module
// calls itself at top level, so traces finish while the program's modules are still being
// evaluated, before anything else could have imported the runtime.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build as esbuildBuild } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchTraces, setTrackingUri } from '@tracewright/runtime';
import { createProject, tspc } from '../../../../test-fixtures/transform/_harness/project.js';
import { buildWithCli, buildWithEsbuild, buildWithRollup, buildWithVite, buildWithWebpack, writeFile, type Entries } from './__tests__/builds.js';
import { LOADER_MODE, SOURCE_MODE, runNode, scratchDir, removeScratchDirs } from './__tests__/workspace.js';
import tracewrightEsbuild from './esbuild.js';

/** The tspc project lives in the OS temp dir (the fixture harness's layout). */
const projects: string[] = [];
afterAll(() => {
  removeScratchDirs();
  for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});

const TRACED = `// @trace
export function greet(name: string): string {
  return 'hello ' + name;
}

// Runs while this module is evaluated: no other module has imported the runtime yet.
greet('top-level');
`;
const MAIN = `import { greet } from './traced.js';

// @trace(CHAIN)
const shout = (s: string) => greet(s).toUpperCase();

console.log(shout('ada'));
`;

/** Nothing configured: no tracking URI, experiment or OTLP endpoint from the test's own env. */
const UNCONFIGURED: NodeJS.ProcessEnv = Object.fromEntries(
  Object.keys(process.env).filter((k) => /^(MLFLOW_|OTEL_)/.test(k)).map((k) => [k, undefined]),
);

function sources(): { dir: string; entries: Entries } {
  const dir = scratchDir('zero-config-src');
  writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFile(join(dir, 'traced.ts'), TRACED);
  writeFile(join(dir, 'main.ts'), MAIN);
  return { dir, entries: { main: join(dir, 'main.ts') } };
}

/** The runtime inlined into the bundle (not external): its package.json `sideEffects` decides what survives. */
async function buildEsbuildInlined(entries: Entries, outDir: string): Promise<Entries> {
  await esbuildBuild({
    entryPoints: entries,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    conditions: ['@tracewright/source'],
    treeShaking: true,
    minify: true,
    logLevel: 'silent',
    plugins: [tracewrightEsbuild()],
  });
  return { main: join(outDir, 'main.mjs') };
}

/** tspc over a project configured the way users configure ts-patch. */
async function buildWithTspc(): Promise<Entries> {
  const project = createProject();
  projects.push(project);
  writeFile(join(project, 'src/traced.ts'), TRACED);
  writeFile(join(project, 'src/main.ts'), MAIN);
  const messages = await tspc(project);
  if (messages.some((m) => m.severity === 'error')) throw new Error(`tspc: ${JSON.stringify(messages)}`);
  return { main: join(project, 'out/main.js') };
}

/**
 * The plainest tsc setup: `module: commonjs`, and one script file (no import or export), which
 * TypeScript does not treat as a module: the runtime binding must be a `require`.
 */
async function buildScriptWithTspc(): Promise<Entries> {
  const project = createProject();
  projects.push(project);
  writeFile(join(project, 'package.json'), '{ "type": "commonjs" }\n');
  const tsconfig = JSON.parse(readFileSync(join(project, 'tsconfig.json'), 'utf8'));
  Object.assign(tsconfig.compilerOptions, { module: 'commonjs', moduleResolution: 'node10' });
  delete tsconfig.compilerOptions.customConditions; // node10 has none, and the script imports nothing
  writeFile(join(project, 'tsconfig.json'), JSON.stringify(tsconfig));
  writeFile(join(project, 'src/main.ts'), `${TRACED.replace('export function', 'function')}\n${MAIN.replace(/^import .*\n/, '')}`);
  const messages = await tspc(project);
  if (messages.some((m) => m.severity === 'error')) throw new Error(`tspc: ${JSON.stringify(messages)}`);
  return { main: join(project, 'out/main.js') };
}

interface Adapter {
  name: string;
  build: () => Promise<Entries>;
  /** Node flags for the run; the workspace runtime is TypeScript, hence tsx. */
  flags: string[];
}

const ADAPTERS: Adapter[] = [
  { name: 'tspc (ts-patch)', build: buildWithTspc, flags: SOURCE_MODE },
  { name: 'tspc, CommonJS script file', build: buildScriptWithTspc, flags: SOURCE_MODE },
  { name: 'vite build', build: () => buildWithVite(sources().entries, scratchDir('zero-config-vite'), 'esm'), flags: SOURCE_MODE },
  { name: 'esbuild', build: () => buildWithEsbuild(sources().entries, scratchDir('zero-config-esbuild'), 'esm'), flags: SOURCE_MODE },
  { name: 'esbuild, runtime bundled and minified', build: () => buildEsbuildInlined(sources().entries, scratchDir('zero-config-inlined')), flags: [] },
  { name: 'rollup', build: () => buildWithRollup(sources().entries, scratchDir('zero-config-rollup'), 'esm'), flags: SOURCE_MODE },
  { name: 'webpack', build: () => buildWithWebpack(sources().entries, scratchDir('zero-config-webpack'), 'esm'), flags: SOURCE_MODE },
  { name: 'node loader', build: async () => sources().entries, flags: LOADER_MODE },
  {
    name: 'tracewright-rewrite + tsc',
    build: async () => {
      const { dir, entries } = sources();
      return buildWithCli(entries, dir, scratchDir('zero-config-cli'));
    },
    flags: SOURCE_MODE,
  },
];

/** What the store holds: one trace per top-level call, names and inputs. */
async function storedTraces(root: string): Promise<unknown[]> {
  expect(existsSync(root), `${root} was not created`).toBe(true);
  setTrackingUri(root);
  const page = await searchTraces({ orderBy: ['timestamp_ms ASC'] });
  return page.traces.map((t) => t.data.spans.map((s) => [s.name, s.spanType, s.inputs, s.outputs]));
}

const EXPECTED = [
  [['greet', 'UNKNOWN', { name: 'top-level' }, 'hello top-level']],
  [
    ['shout', 'CHAIN', { s: 'ada' }, 'HELLO ADA'],
    ['greet', 'UNKNOWN', { name: 'ada' }, 'hello ada'],
  ],
];

const built = new Map<string, Promise<Entries>>();
beforeAll(() => {
  // One build after another (the machine is shared); each test awaits its own.
  let previous: Promise<unknown> = Promise.resolve();
  for (const adapter of ADAPTERS) {
    const result = previous.then(() => adapter.build());
    previous = result.catch(() => undefined);
    result.catch(() => undefined); // reported by the adapter's test
    built.set(adapter.name, result);
  }
});

describe.each(ADAPTERS)('only // @trace comments, built with $name', (adapter) => {
  async function run(env: NodeJS.ProcessEnv): Promise<string> {
    const { main } = await built.get(adapter.name)!;
    // A fresh working directory under the repository (so the loader flags resolve), nothing in it.
    const cwd = scratchDir('zero-config-run');
    const result = await runNode([...adapter.flags, main], { cwd, env: { ...UNCONFIGURED, ...env } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('HELLO ADA\n');
    return cwd;
  }

  it('writes its traces to ./mlruns with nothing configured', async () => {
    const cwd = await run({});
    expect(await storedTraces(join(cwd, 'mlruns'))).toEqual(EXPECTED);
  }, 180_000);

  it('writes them where MLFLOW_TRACKING_URI=file:... points, and nowhere else', async () => {
    const target = join(scratchDir('zero-config-uri'), 'traces');
    const cwd = await run({ MLFLOW_TRACKING_URI: pathToFileURL(target).href });
    expect(existsSync(join(cwd, 'mlruns'))).toBe(false);
    expect(await storedTraces(target)).toEqual(EXPECTED);
  }, 180_000);
});
