/**
 * @tracewright/runtime on the real edge runtimes from npm: Cloudflare's workerd (through
 * miniflare), with and without the nodejs_compat flag, and Vercel's edge-runtime. A traced
 * agent worker (fixtures/agent.ts) is bundled against the built package with each runtime's
 * export conditions, served on 127.0.0.1, and every trace must reach a loopback MLflow server
 * whole: tree, inputs, outputs, errors — for a JSON answer, a streamed body, a throw and an
 * upload past the gzip threshold (compressed where the runtime has CompressionStream).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Miniflare } from 'miniflare';
import { EdgeRuntime, runServer } from 'edge-runtime';
import { startFakeMlflowServer, type FakeMlflowServer, type StoredSpan, type StoredTrace } from '../../packages/runtime/src/exporters/testing/fake-mlflow-server.js';
import { waitFor } from '../../packages/runtime/src/exporters/testing/wait.js';
import { bundleWorker } from './bundle.js';

let server: FakeMlflowServer;
beforeAll(async () => {
  server = await startFakeMlflowServer();
});
afterAll(async () => {
  await server?.close();
});

interface Runtime {
  fetch(path: string): Promise<Response>;
  close(): Promise<void>;
}

function attr(span: StoredSpan, key: string): unknown {
  const raw = span.attributes[key];
  if (raw === undefined) return undefined;
  let value: unknown = JSON.parse(raw);
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      // a plain string output
    }
  }
  return value;
}

/** Traces that arrived (StartTrace + spans) whose root span has `rootName`, started after `since`. */
function arrived(rootName: string, seen: Set<string>): StoredTrace[] {
  return [...server.traces.entries()]
    .filter(([id, t]) => !seen.has(id) && t.started && t.spans.some((s) => s.parentSpanIdHex === null && s.name === rootName))
    .map(([, t]) => t);
}

function tree(t: StoredTrace): string[] {
  const byId = new Map(t.spans.map((s) => [s.spanIdHex, s]));
  return t.spans
    .map((s) => {
      const path = [s.name];
      for (let p = s.parentSpanIdHex; p; p = byId.get(p)?.parentSpanIdHex ?? null) path.unshift(byId.get(p)?.name ?? '?');
      return path.join(' > ');
    })
    .sort();
}

function spanNamed(t: StoredTrace, name: string): StoredSpan {
  const span = t.spans.find((s) => s.name === name);
  if (!span) throw new Error(`no span ${name} in ${tree(t).join(', ')}`);
  return span;
}

async function expectWholeTraces(runtime: Runtime, asyncContext: boolean, gzip: boolean): Promise<void> {
  const seen = new Set(server.traces.keys());
  const otlpBefore = server.requestsTo('/v1/traces').length;

  // A JSON answer: decorator, trace(), withSpan, explicit parent after an await.
  const res = await runtime.fetch('/agent?q=tides');
  expect(res.status).toBe(200);
  const body = (await res.json()) as { summary: string; words: number; propagation: string };
  expect(body).toEqual({ summary: 'facts about tides', words: 3, propagation: asyncContext ? 'async' : 'sync-only' });

  // A streamed body: the generator's span ends when the body has been read.
  const streamed = await runtime.fetch('/stream?q=one two three');
  expect(await streamed.text()).toBe('one\ntwo\nthree\n');

  // A handler that throws.
  const failed = await runtime.fetch('/throw?q=storm');
  expect(failed.status).toBe(500);

  // 20 KB of inputs: sent gzipped where the runtime has CompressionStream.
  expect(await (await runtime.fetch('/big?q=tides')).json()).toEqual({ stored: 20_000 });
  await waitFor(
    () =>
      arrived('answer', seen).length === 1 &&
      arrived('tokens', seen).length === 1 &&
      arrived('failing', seen).length === 1 &&
      arrived('remember', seen).length === 1 &&
      (asyncContext || arrived('countWords', seen).length === 1),
    'every trace at the MLflow server',
    20_000,
  );
  expect(server.violations).toEqual([]);

  const [big] = arrived('remember', seen);
  expect((attr(spanNamed(big!, 'remember'), 'mlflow.spanInputs') as { notes: string }).notes).toBe('tides'.repeat(4_000));
  const bigUpload = server.requestsTo('/v1/traces').slice(otlpBefore).find((r) => r.body.length > 20_000);
  expect(bigUpload?.headers['content-encoding']).toBe(gzip ? 'gzip' : undefined);

  const [answer] = arrived('answer', seen);
  expect(answer!.info.state).toBe('OK');
  const expectedTree = ['answer', 'answer > plan', 'answer > plan > lookup', 'answer > explicit_after_await', 'answer > summarize'];
  if (asyncContext) expectedTree.push('answer > countWords');
  expect(tree(answer!)).toEqual(expectedTree.sort());
  expect(attr(spanNamed(answer!, 'answer'), 'mlflow.spanInputs')).toEqual({ question: 'tides' });
  expect(attr(spanNamed(answer!, 'answer'), 'mlflow.spanOutputs')).toEqual(body);
  expect(attr(spanNamed(answer!, 'answer'), 'mlflow.spanType')).toBe('CHAIN');
  expect(attr(spanNamed(answer!, 'plan'), 'mlflow.spanType')).toBe('AGENT');
  expect(attr(spanNamed(answer!, 'lookup'), 'mlflow.spanOutputs')).toBe('facts about tides');
  expect(attr(spanNamed(answer!, 'summarize'), 'mlflow.spanOutputs')).toBe('facts about tides');
  expect(attr(spanNamed(answer!, 'explicit_after_await'), 'mlflow.spanInputs')).toEqual({ question: 'tides' });
  if (!asyncContext) {
    const [alone] = arrived('countWords', seen);
    expect(tree(alone!)).toEqual(['countWords']);
    expect(attr(spanNamed(alone!, 'countWords'), 'mlflow.spanOutputs')).toBe(3);
  }

  const [stream] = arrived('tokens', seen);
  expect(stream!.info.state).toBe('OK');
  expect(tree(stream!)).toEqual(['tokens']);
  expect(attr(spanNamed(stream!, 'tokens'), 'mlflow.spanOutputs')).toEqual(['one\n', 'two\n', 'three\n']);

  const [failing] = arrived('failing', seen);
  expect(failing!.info.state).toBe('ERROR');
  expect(tree(failing!)).toEqual(['failing', 'failing > lookup']);
  const root = spanNamed(failing!, 'failing');
  expect(root.statusCode).toBe('STATUS_CODE_ERROR');
  expect(root.events.map((e) => e.name)).toEqual(['exception']);
  expect(JSON.stringify(root.events[0]!.attributes)).toContain('agent failed: storm');
}

async function startWorkerd(flags: string[]): Promise<Runtime> {
  const { code, inputs } = await bundleWorker('workerd-worker.ts', ['workerd', 'worker', 'browser'], 'esm');
  expect(inputs.some((f) => f.includes('runtime/dist/edge/'))).toBe(true);
  const mf = new Miniflare({
    modules: true,
    script: code,
    compatibilityDate: '2025-09-01',
    compatibilityFlags: flags,
    cf: false, // never fetch Request.cf from the network
    bindings: { MLFLOW_TRACKING_URI: server.url },
    host: '127.0.0.1',
  });
  await mf.ready;
  return {
    fetch: (path) => mf.dispatchFetch(`http://worker.test${path}`) as unknown as Promise<Response>,
    close: () => mf.dispose(),
  };
}

describe.each([
  { name: 'workerd with nodejs_compat', flags: ['nodejs_compat'], asyncContext: true },
  { name: 'workerd without nodejs_compat', flags: [], asyncContext: false },
])('Cloudflare Workers: $name', ({ flags, asyncContext }) => {
  test('a traced agent worker delivers every trace whole (answer, streamed body, throw, gzip-sized upload)', async () => {
    const runtime = await startWorkerd(flags);
    try {
      await expectWholeTraces(runtime, asyncContext, true);
    } finally {
      await runtime.close();
    }
  });
});

describe('Vercel Edge: edge-runtime', () => {
  test('a traced agent worker delivers every trace whole (answer, streamed body, throw, gzip-sized upload)', async () => {
    const { code, inputs } = await bundleWorker('edge-light-worker.ts', ['edge-light', 'worker', 'browser'], 'iife');
    expect(inputs.some((f) => f.includes('runtime/dist/edge/'))).toBe(true);
    const edge = new EdgeRuntime({
      initialCode: code,
      extend: (context) => Object.assign(context, { MLFLOW_TRACKING_URI: server.url }),
    });
    const listening = await runServer({ runtime: edge, host: '127.0.0.1', port: 0 });
    try {
      // edge-runtime has no AsyncLocalStorage of its own (Next.js adds one on globalThis).
      // Nor CompressionStream: large uploads go uncompressed.
      await expectWholeTraces({ fetch: (path) => fetch(new URL(path, listening.url)), close: async () => {} }, false, false);
    } finally {
      await listening.close();
    }
  });
});
