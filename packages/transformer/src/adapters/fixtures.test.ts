// The whole transform fixture corpus through every adapter: Vite (a real `vite build`),
// esbuild, Rollup (+ esbuild to strip types), webpack (+ an esbuild loader), the Node loader
// (`--import @tracewright/transformer/register --import tsx`) and the CLI (+ tsc). Each output
// runs in a child process through the core's own fixture runner; the span trees must equal the
// fixture's spans.json (the ts-patch path's golden), and results and control-flow logs must
// equal those of the untransformed input.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFixtures, runCases, type Fixture } from '../../../../test-fixtures/transform/_harness/project.js';
import type { CaseResult } from '../../../../test-fixtures/transform/_harness/runner.js';
import {
  buildWithCli,
  buildWithEsbuild,
  buildWithRollup,
  buildWithVite,
  buildWithWebpack,
  type Builder,
  type Entries,
  type Format,
} from './__tests__/builds.js';
import { scratchDir, removeScratchDirs } from './__tests__/workspace.js';

afterAll(removeScratchDirs);

interface Expected {
  severity: string;
}
const diagnosticsOf = (f: Fixture): Expected[] => {
  const file = join(f.dir, 'diagnostics.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
};
const all = listFixtures();
/** Fixtures whose directives cannot be applied: every adapter must refuse them (tested below). */
const refused = all.filter((f) => diagnosticsOf(f).some((d) => d.severity === 'error'));
const runnable = all.filter((f) => !refused.includes(f));
const formatOf = (f: Fixture): Format => (f.ext === '.cts' ? 'cjs' : 'esm');

/**
 * The fixtures as the core's harness lays them out (some import themselves by that name):
 * one flat source tree, `src/<case>.ts`, inside the repository so @tracewright/* resolves.
 */
const tree = scratchDir('fixtures-src');
const srcDir = join(tree, 'src');
mkdirSync(srcDir);
const sourceOf = (f: Fixture) => join(srcDir, `${f.name}${f.ext}`);
for (const f of runnable) copyFileSync(f.inputFile, sourceOf(f));
const entriesOf = (fixtures: Fixture[]): Entries => Object.fromEntries(fixtures.map((f) => [f.name, sourceOf(f)]));

/** Bundlers get one build per output format (the .cts fixtures build to CommonJS). */
function bundled(builder: Builder): (dir: string) => Promise<Entries> {
  return async (dir) => {
    const built: Entries = {};
    for (const format of ['esm', 'cjs'] as const) {
      const group = runnable.filter((f) => formatOf(f) === format);
      if (group.length > 0) Object.assign(built, await builder(entriesOf(group), join(dir, format), format));
    }
    return built;
  };
}

async function viaCli(dir: string): Promise<Entries> {
  return buildWithCli(entriesOf(runnable), srcDir, join(dir, 'out'));
}

/** The loader needs no build: the runner imports the original inputs with the loader active. */
async function viaLoader(): Promise<Entries> {
  return entriesOf(runnable);
}

/** Runs the core's fixture runner, with extra node flags (NODE_OPTIONS come before its own). */
async function run(dir: string, modules: Entries, nodeOptions?: string): Promise<Map<string, CaseResult>> {
  const saved = process.env.NODE_OPTIONS;
  if (nodeOptions) process.env.NODE_OPTIONS = nodeOptions;
  try {
    // runCases spawns synchronously, so the variable is only seen by this child.
    const results = runCases(dir, Object.entries(modules).map(([name, file]) => ({ name, file })));
    return await results;
  } finally {
    if (saved === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = saved;
  }
}

interface Adapter {
  name: string;
  build: (dir: string) => Promise<Entries>;
  nodeOptions?: string;
  /** Cases whose output the bundler cannot make runnable on Node 20, for reasons not ours. */
  cannotRun?: Record<string, string>;
}

const ADAPTERS: Adapter[] = [
  {
    name: 'vite',
    build: bundled(buildWithVite),
    cannotRun: {
      'trace-decorator': 'Vite 8 transpiles with Oxc, which lowers only legacy decorators; Node 20 cannot parse TC39 decorators',
      'decorator-directive': 'Vite 8 transpiles with Oxc, which lowers only legacy decorators; Node 20 cannot parse TC39 decorators',
    },
  },
  { name: 'esbuild', build: bundled(buildWithEsbuild) },
  { name: 'rollup', build: bundled(buildWithRollup) },
  { name: 'webpack', build: bundled(buildWithWebpack) },
  { name: 'node loader', build: viaLoader, nodeOptions: '--import @tracewright/transformer/register' },
  { name: 'cli + tsc', build: viaCli },
];

interface Outcome {
  built: Entries;
  results: Map<string, CaseResult>;
}

// Builds run one after another in this process; each build's child run overlaps the next
// build, which keeps the whole matrix well inside the test budget.
let originals: Promise<Map<string, CaseResult>>;
const outcomes = new Map<string, Promise<Outcome>>();
beforeAll(() => {
  originals = run(scratchDir('fixtures-original'), entriesOf(runnable));
  originals.catch(() => undefined);
  let previous: Promise<unknown> = Promise.resolve();
  for (const adapter of ADAPTERS) {
    const dir = scratchDir(`fixtures-${adapter.name.replace(/\W+/g, '-')}`);
    const built = previous.then(() => adapter.build(dir));
    previous = built.catch(() => undefined);
    const outcome = built.then(async (b) => ({ built: b, results: await run(dir, b, adapter.nodeOptions) }));
    outcome.catch(() => undefined); // reported by the adapter's own tests, not as unhandled
    outcomes.set(adapter.name, outcome);
  }
});

describe.each(ADAPTERS)('fixture corpus through $name', (adapter) => {
  let results: Map<string, CaseResult>;
  let built: Entries;
  let original: Map<string, CaseResult>;
  beforeAll(async () => {
    ({ built, results } = await outcomes.get(adapter.name)!);
    original = await originals;
  }, 180_000);

  const cannotRun = runnable.filter((f) => adapter.cannotRun?.[f.name]);
  if (cannotRun.length > 0) {
    it.each(cannotRun)('$name: rewritten, but not runnable after this bundler', (f) => {
      // Still ours: the rewrite is in the output. The run fails on the bundler's output, so
      // this test flags the day the bundler fixes it and the case can join the others.
      expect(readFileSync(built[f.name]!, 'utf8')).toMatch(/__tw\$|params: \[/);
      expect(results.get(f.name)?.outcome, adapter.cannotRun![f.name]).toMatchObject({ error: { name: 'SyntaxError' } });
    });
  }

  it.each(runnable.filter((f) => !cannotRun.includes(f)))('$name: spans.json, results and log', (f) => {
    const result = results.get(f.name);
    expect(result, `${f.name} did not run`).toBeDefined();
    expect(result!.traces).toEqual(JSON.parse(readFileSync(join(f.dir, 'spans.json'), 'utf8')));
    expect(result!.internalErrors).toEqual({});
    expect(result!.outcome).toEqual(original.get(f.name)!.outcome);
    expect(result!.log).toEqual(original.get(f.name)!.log);
  });
});
