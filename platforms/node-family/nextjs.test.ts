/**
 * The packed @tracewright/runtime inside a Next.js App Router app (fixtures/next-app): route
 * handlers and a server action call the traced agent (fixtures/agent-core.ts), instrumentation.ts
 * configures tracewright, and `next build` must succeed with no tracewright-specific config (no
 * serverExternalPackages). Then `next start` on 127.0.0.1 serves it and every trace must arrive
 * whole at a loopback MLflow server: a plain answer, a streamed body, a handler that throws, a
 * server action. Flushing is handed to Next with `after(flushTraces)`.
 *
 * One build per run, shared by every test here (next build is the slow part: see the README).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFakeMlflowServer, type FakeMlflowServer } from '../../packages/runtime/src/exporters/testing/fake-mlflow-server.js';
import { waitFor } from '../../packages/runtime/src/exporters/testing/wait.js';
import { QUIET_ENV, REPO_ROOT, SUITE_DIR, npmInstall, packRuntime, rootOf, run, span, traceNamed, tracesAt, treeOf, type TraceView } from './harness.js';

const NEXT_BIN = join(REPO_ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');

let app: string;
let server: FakeMlflowServer;
let next: ChildProcess | undefined;
let nextOutput = '';
let base: string;
let buildMs = 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  // Inside the repository so `next`, `react` and `react-dom` resolve from the workspace install;
  // @tracewright/runtime resolves from the app's own node_modules (the tarball).
  app = mkdtempSync(join(SUITE_DIR, '.scratch-next-'));
  cpSync(join(SUITE_DIR, 'fixtures', 'next-app'), app, { recursive: true });
  copyFileSync(join(SUITE_DIR, 'fixtures', 'agent-core.ts'), join(app, 'lib', 'agent-core.ts'));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'next-agent', private: true }));
  npmInstall(app, packRuntime(app));

  const started = Date.now();
  const built = await run(process.execPath, [NEXT_BIN, 'build'], { cwd: app, timeoutMs: 240_000 });
  buildMs = Date.now() - started;
  if (built.code !== 0) throw new Error(`next build failed (${built.code}):\n${built.stdout}\n${built.stderr}`);
  console.log(`next build: ${(buildMs / 1000).toFixed(1)} s`);

  server = await startFakeMlflowServer();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  next = spawn(process.execPath, [NEXT_BIN, 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: app,
    env: { ...process.env, ...QUIET_ENV, NODE_OPTIONS: '', AGENT_TRACKING_URI: server.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  next.stdout!.setEncoding('utf8').on('data', (c: string) => (nextOutput += c));
  next.stderr!.setEncoding('utf8').on('data', (c: string) => (nextOutput += c));
  await waitFor(() => /Ready in/.test(nextOutput) || next!.exitCode !== null, 'next start to be ready', 60_000);
  if (next.exitCode !== null) throw new Error(`next start exited ${next.exitCode}:\n${nextOutput}`);
}, 300_000);

afterAll(async () => {
  if (next && next.exitCode === null) {
    next.kill('SIGTERM');
    const killer = setTimeout(() => next!.kill('SIGKILL'), 10_000);
    await new Promise((resolve) => next!.once('exit', resolve));
    clearTimeout(killer);
  }
  await server?.close();
  if (app && process.env.KEEP_SCRATCH !== '1') rmSync(app, { recursive: true, force: true });
});

/** The traces rooted at `rootName` once `count` of them arrived whole (flushed by `after`). */
async function arrived(rootName: string, count = 1): Promise<TraceView[]> {
  const matching = () => tracesAt(server).filter((t) => rootOf(t)?.name === rootName && t.state !== undefined);
  await waitFor(() => matching().length >= count, `${count} trace(s) rooted at ${rootName}\n${nextOutput}`, 15_000);
  return matching();
}

// Next minifies server code in production builds (no config turns that off short of
// `experimental.serverMinification: false`): parameter names become one letter and a function
// expression passed to trace() loses its name, so such spans get the default name "span".
// Method names (@Trace), explicit names (withSpan/startSpan/{ name }) and all values survive.
// The expectations below are what a user of a config-free Next app gets; see the README.
const TRACED_FN = 'span';
const argValues = (inputs: unknown) => Object.values(inputs as Record<string, unknown>);

test('next build needs no tracewright-specific config', () => {
  const config = ['next.config.js', 'next.config.mjs', 'next.config.ts'].filter((f) => existsSync(join(app, f)));
  expect(config).toEqual([]);
  expect(buildMs).toBeGreaterThan(0);
});

test('route handler: the agent trace arrives whole, in the experiment instrumentation.ts chose', async () => {
  const response = await fetch(`${base}/api/agent?q=weather%20in%20Paris`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ reply: 'weather in Paris: 3 docs' });
  const [t] = await arrived('answer');
  expect(treeOf(t!)).toEqual([{ answer: [{ [TRACED_FN]: [] }, { [TRACED_FN]: [] }, { llm: [{ tokenize: [] }] }] }]);
  expect(rootOf(t!)).toMatchObject({ spanType: 'AGENT', outputs: { reply: 'weather in Paris: 3 docs' }, status: 'OK' });
  expect(argValues(rootOf(t!)!.inputs)).toEqual(['weather in Paris', 2]);
  expect(span(t!, TRACED_FN, 1)).toMatchObject({ spanType: 'RETRIEVER', outputs: ['weather in Paris news doc 1'] });
  expect(argValues(span(t!, TRACED_FN, 1).inputs)).toEqual(['weather in Paris news', 1]);
  expect(span(t!, 'llm')).toMatchObject({ spanType: 'LLM', outputs: 'weather in Paris: 3 docs' });
  expect(span(t!, 'tokenize')).toMatchObject({ inputs: { text: 'weather in Paris' }, outputs: 3 });
  const experiment = [...server.experiments.values()].find((e) => e.name === 'next-agent');
  expect(experiment, 'setExperiment in instrumentation.ts').toBeDefined();
  expect(server.traces.get(t!.traceId)!.info.trace_location.mlflow_experiment.experiment_id).toBe(experiment!.experiment_id);
});

test('minified server build: parameter names and function-expression names are lost (documented)', async () => {
  const [t] = await arrived('answer');
  expect(Object.keys(rootOf(t!)!.inputs as object)).not.toEqual(['question', 'topK']);
  expect(t!.spans.map((s) => s.name)).not.toContain('retrieve');
});

test('streamed response: the span covers the whole body and the trace arrives after it', async () => {
  const response = await fetch(`${base}/api/stream?q=tides`);
  expect(response.status).toBe(200);
  expect(await response.text()).toBe('Based on 2 docs');
  const [t] = await arrived('streamAnswer');
  expect(treeOf(t!)).toEqual([{ streamAnswer: [{ [TRACED_FN]: [] }] }]);
  // Every chunk is in the output: the span ended when the body was consumed, not when GET returned.
  expect(rootOf(t!)).toMatchObject({ spanType: 'CHAIN', outputs: ['Based', ' on', ' 2', ' docs'], status: 'OK' });
  expect(argValues(rootOf(t!)!.inputs)).toEqual(['tides']);
});

test('a handler that throws: Next answers 500 and the error trace arrives', async () => {
  const response = await fetch(`${base}/api/fail?q=missing`);
  expect(response.status).toBe(500);
  await response.arrayBuffer();
  const [t] = await arrived('failing');
  expect(treeOf(t!)).toEqual([{ failing: [{ lookup: [] }] }]);
  expect(t!.state).toBe('ERROR');
  expect(rootOf(t!)).toMatchObject({ status: 'ERROR' });
  expect(span(t!, 'lookup')).toMatchObject({ spanType: 'TOOL', status: 'ERROR' });
  expect(argValues(span(t!, 'lookup').inputs)).toEqual(['MISSING']);
  expect(span(t!, 'lookup').events).toContain('exception');
});

test('server action: called as the browser calls it, its trace arrives whole', async () => {
  const manifest = JSON.parse(readFileSync(join(app, '.next', 'server', 'server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { exportedName?: string; filename?: string }>;
  };
  const [actionId] = Object.entries(manifest.node).find(([, a]) => a.exportedName === 'ask' && a.filename?.includes('actions')) ?? [];
  expect(actionId, JSON.stringify(manifest.node)).toBeTypeOf('string');
  const response = await fetch(`${base}/ask`, {
    method: 'POST',
    headers: { 'next-action': actionId!, 'content-type': 'text/plain;charset=UTF-8', accept: 'text/x-component' },
    body: JSON.stringify(['rain in Oslo']),
  });
  expect(response.status).toBe(200);
  expect(await response.text()).toContain('rain in Oslo: 2 docs');
  const traces = await arrived('answer', 2);
  const t = traces.find((x) => argValues(rootOf(x)!.inputs)[0] === 'rain in Oslo');
  expect(t, JSON.stringify(traces.map((x) => rootOf(x)!.inputs))).toBeDefined();
  expect(treeOf(t!)).toEqual([{ answer: [{ [TRACED_FN]: [] }, { [TRACED_FN]: [] }, { llm: [{ tokenize: [] }] }] }]);
  expect(rootOf(t!)).toMatchObject({ outputs: { reply: 'rain in Oslo: 2 docs' }, status: 'OK' });
  expect(argValues(rootOf(t!)!.inputs)).toEqual(['rain in Oslo', 1]);
});

test('nothing was reported as a tracing failure and the server saw only valid requests', () => {
  expect(server.violations).toEqual([]);
  expect(nextOutput).not.toMatch(/tracewright/i);
});
