/**
 * The packed @tracewright/runtime on Node 22, Bun and Deno, each started for real as a child
 * process on 127.0.0.1. fixtures/agent.ts (decorator, trace(), withSpan/startSpan, concurrent
 * awaits, a streamed response through the platform's own HTTP server, a throwing tool) runs
 * once against a loopback MLflow server and once against a local store, which a second
 * process of the same runtime reads back with searchTraces. Every trace must arrive whole:
 * tree, inputs by argument name, outputs, error status.
 *
 * Node 22 runs the agent compiled by esbuild (as a Node user ships TypeScript); Bun and Deno
 * run the TypeScript file itself with their own decorator support. Deno resolves the package
 * from the project's node_modules (`"nodeModulesDir": "manual"`), never from a registry.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFakeMlflowServer, type FakeMlflowServer } from '../../packages/runtime/src/exporters/testing/fake-mlflow-server.js';
import {
  NODE22_VERSION,
  SUITE_DIR,
  bunBinary,
  denoBinary,
  ensureNode22,
  lastJsonLine,
  npmInstall,
  packRuntime,
  rootOf,
  run,
  span,
  traceNamed,
  tracesAt,
  treeOf,
  type TraceView,
} from './harness.js';

let work: string;

interface Runtime {
  name: 'Node 22' | 'Bun' | 'Deno';
  /** Command and arguments that run `script` (a fixture's base name). */
  command(script: string, store?: string): [string, string[]];
}

const RUNTIMES: Runtime[] = [
  { name: 'Node 22', command: (script) => [ensureNode22(), [`${script}.mjs`]] },
  { name: 'Bun', command: (script) => [bunBinary(), ['run', `${script}.ts`]] },
  {
    name: 'Deno',
    // The permissions the runtime needs, no more: loopback network, env (MLFLOW_*), read, and
    // write to the local store only.
    command: (script, store) => [
      denoBinary(),
      ['run', '--allow-net=127.0.0.1', '--allow-env', '--allow-read', ...(store ? [`--allow-write=${store}`] : []), `${script}.ts`],
    ],
  },
];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tw-platforms-'));
  const tarball = packRuntime(work);
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'platform-agent', private: true, type: 'module' }));
  writeFileSync(join(work, 'deno.json'), JSON.stringify({ nodeModulesDir: 'manual' }));
  for (const f of ['agent.ts', 'agent-core.ts', 'read-back.ts', 'unhandled.ts']) copyFileSync(join(SUITE_DIR, 'fixtures', f), join(work, f));
  // What a Node user ships: the TypeScript compiled to ESM (standard decorators lowered).
  // keepNames: esbuild renames `const retrieve = trace(async function retrieve…)`'s inner
  // name to retrieve2, and the span is named after the function (see the README, Node).
  await build({
    entryPoints: ['agent.ts', 'read-back.ts', 'unhandled.ts'].map((f) => join(work, f)),
    outdir: work,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    external: ['@tracewright/runtime'],
    format: 'esm',
    platform: 'node',
    target: 'node22',
    keepNames: true,
    logLevel: 'error',
  });
  npmInstall(work, tarball);
  ensureNode22();
}, 180_000);

afterAll(() => {
  if (work && process.env.KEEP_SCRATCH !== '1') rmSync(work, { recursive: true, force: true });
});

test('Node 22 is the registry build', async () => {
  const r = await run(ensureNode22(), ['--version'], { cwd: work });
  expect(r.stdout.trim()).toBe(`v${NODE22_VERSION}`);
});

/** What the agent's three requests must have produced, wherever the traces went. */
function expectWholeTraces(traces: TraceView[]): void {
  expect(traces).toHaveLength(3);

  const answer = traceNamed(traces, 'answer');
  expect(treeOf(answer)).toEqual([{ answer: [{ retrieve: [] }, { retrieve: [] }, { llm: [{ tokenize: [] }] }] }]);
  expect(answer.state).toBe('OK');
  expect(rootOf(answer)).toMatchObject({ spanType: 'AGENT', inputs: { question: 'weather in Paris', topK: 2 }, outputs: { reply: 'weather in Paris: 3 docs' }, status: 'OK' });
  expect(span(answer, 'retrieve', 0)).toMatchObject({ spanType: 'RETRIEVER', inputs: { query: 'weather in Paris', topK: 2 }, outputs: ['weather in Paris doc 1', 'weather in Paris doc 2'] });
  expect(span(answer, 'retrieve', 1)).toMatchObject({ inputs: { query: 'weather in Paris news', topK: 1 }, outputs: ['weather in Paris news doc 1'] });
  expect(span(answer, 'llm')).toMatchObject({ spanType: 'LLM', outputs: 'weather in Paris: 3 docs' });
  expect(span(answer, 'tokenize')).toMatchObject({ inputs: { text: 'weather in Paris' }, outputs: 3 });

  // The streamed body: the generator's span covers the whole stream, its retrieval nested
  // under it across the yields, the yielded pieces as its output.
  const stream = traceNamed(traces, 'streamAnswer');
  expect(treeOf(stream)).toEqual([{ streamAnswer: [{ retrieve: [] }] }]);
  expect(rootOf(stream)).toMatchObject({ spanType: 'CHAIN', inputs: { question: 'tides' }, status: 'OK' });
  expect(rootOf(stream)!.outputs).toEqual(['Based', ' on', ' 2', ' docs']);

  const failing = traceNamed(traces, 'failing');
  expect(treeOf(failing)).toEqual([{ failing: [{ lookup: [] }] }]);
  expect(failing.state).toBe('ERROR');
  expect(rootOf(failing)).toMatchObject({ inputs: { question: 'missing' }, status: 'ERROR' });
  expect(span(failing, 'lookup')).toMatchObject({ spanType: 'TOOL', inputs: { key: 'MISSING' }, status: 'ERROR' });
  expect(span(failing, 'lookup').events).toContain('exception');
}

/** What the client of the agent's server saw: tracing changed none of it. */
const EXPECTED_RESPONSES = {
  agent: { status: 200, body: JSON.stringify({ reply: 'weather in Paris: 3 docs' }) },
  stream: { status: 200, body: 'Based on 2 docs' },
  fail: { status: 500, body: 'lookup failed for MISSING' },
};

describe.each(RUNTIMES)('$name', (runtime) => {
  let server: FakeMlflowServer;
  beforeAll(async () => {
    server = await startFakeMlflowServer();
  });
  afterAll(() => server?.close());

  test('traces of a served agent arrive whole at an MLflow server', async () => {
    const [cmd, args] = runtime.command('agent');
    const result = await run(cmd, args, { cwd: work, env: { MLFLOW_TRACKING_URI: server.url } });
    expect(result.code, result.stderr).toBe(0);
    const out = lastJsonLine(result);
    expect(out.seen).toEqual(EXPECTED_RESPONSES);
    expect(out.diagnostics.totalErrors, JSON.stringify(out.diagnostics)).toBe(0);
    expect(server.violations).toEqual([]);
    expectWholeTraces(tracesAt(server));
  });

  test('the local store: written by the agent, read back with searchTraces by a new process', async () => {
    const store = join(work, `mlruns-${runtime.name.replace(/\W/g, '')}`);
    const [cmd, args] = runtime.command('agent', store);
    const written = await run(cmd, args, { cwd: work, env: { MLFLOW_TRACKING_URI: store } });
    expect(written.code, written.stderr).toBe(0);
    expect(lastJsonLine(written).seen).toEqual(EXPECTED_RESPONSES);
    const [readCmd, readArgs] = runtime.command('read-back', store);
    const read = await run(readCmd, readArgs, { cwd: work, env: { MLFLOW_TRACKING_URI: store } });
    expect(read.code, read.stderr).toBe(0);
    expectWholeTraces(lastJsonLine(read));
  });

  test('an unhandled rejection is reported as it is untraced, a handled one is not', async () => {
    const [cmd, args] = runtime.command('unhandled');
    const result = await run(cmd, args, { cwd: work });
    expect(result.code, result.stderr).toBe(0);
    expect(lastJsonLine(result)).toEqual({ reported: ['untraced', 'traced'], caught: ['handled in a for await loop'] });
  });
});
