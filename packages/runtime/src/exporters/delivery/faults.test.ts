/**
 * Fault injection against a real loopback server: down, slow, 5xx, 429 + Retry-After,
 * malformed bodies, resets mid-body, 413. Tracing must never throw into the app, must keep
 * memory bounded, and must lose nothing that can still be delivered within the retry window.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getTracingDiagnostics, resetTracingDiagnostics, setDestination, setDiagnosticLogger, trace } from '../../index.js';
import { spanToJsonText } from '../../model/json.js';
import type { Trace } from '../../model/trace.js';
import { createMlflowDestination, type MlflowDestination } from '../mlflow/index.js';
import { createOtlpDestination } from '../otlp/index.js';
import { startFakeMlflowServer, type FakeMlflowServer } from '../testing/fake-mlflow-server.js';
import { makeTraces } from '../testing/traces.js';
import { waitFor } from '../testing/wait.js';

const FAST_RETRY = { initialBackoffMs: 20, maxBackoffMs: 100, retryWindowMs: 10_000, maxAttempts: 100 };

let server: FakeMlflowServer;
let destination: MlflowDestination | undefined;
let logs: string[];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeEach(async () => {
  server = await startFakeMlflowServer();
  logs = [];
  setDiagnosticLogger((m) => logs.push(m));
  resetTracingDiagnostics();
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});

afterEach(async () => {
  setDestination(undefined);
  await destination?.shutdown();
  destination = undefined;
  await server.close();
  process.off('unhandledRejection', onUnhandled);
  // No failure may escape as an exception or an unhandled rejection.
  expect(unhandled).toEqual([]);
});

function mlflow(delivery: Parameters<typeof createMlflowDestination>[0]['delivery'] = {}): MlflowDestination {
  destination = createMlflowDestination({ trackingUri: server.url, experimentId: '0', delivery: { retry: FAST_RETRY, ...delivery } });
  return destination;
}

function expectStoredExactly(traces: Trace[]): void {
  expect(server.violations).toEqual([]);
  expect(new Set(server.traces.keys())).toEqual(new Set(traces.map((t) => t.info.traceId)));
  for (const t of traces) {
    const stored = server.traces.get(t.info.traceId)!;
    const spans = stored.spans.length
      ? stored.spans.map((s) => s.spanIdHex).sort()
      : JSON.parse(server.artifacts.get(`0/traces/${t.info.traceId}/artifacts/traces.json`)!.toString()).spans.map((s: any) =>
          Buffer.from(s.span_id, 'base64').toString('hex'),
        ).sort();
    expect(spans).toEqual(t.data.spans.map((s) => s.spanId).sort());
  }
}

const exportErrors = () => Object.entries(getTracingDiagnostics().errors).filter(([site]) => site.startsWith('export to')).reduce((n, [, c]) => n + c, 0);

describe('fault injection (MLflow destination)', () => {
  it('server down, then back within the retry window: nothing is lost, one warning', async () => {
    await server.close();
    const traces = await makeTraces(20);
    const d = mlflow();
    // Through the runtime: traced calls succeed while the server is down.
    setDestination(d);
    const ask = trace(async (x: number) => x * 2, { name: 'ask' });
    expect(await ask(21)).toBe(42);
    for (const t of traces) d.export(t);
    await waitFor(() => exportErrors() >= 3, 'several failed attempts');
    await server.restart();
    await d.flush();
    expect(server.traces.size).toBe(21);
    expectStoredExactly([...traces, ...[...server.traces.values()].filter((t) => t.info.tags['mlflow.traceName'] === 'ask').map((t) => ({ info: { traceId: t.info.trace_id }, data: { spans: t.spans.map((s) => ({ spanId: s.spanIdHex })) } }) as unknown as Trace)]);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/unreachable: .*ECONNREFUSED.*retrying with backoff/);
    expect(getTracingDiagnostics().dropped).toEqual({});
  });

  it('slow server (beyond the request timeout): the attempt is abandoned and retried, stored once', async () => {
    const traces = await makeTraces(2);
    server.inject('/api/3.0/mlflow/traces', { kind: 'delay', ms: 1500 });
    const d = mlflow({ timeoutMs: 200 });
    for (const t of traces) d.export(t);
    await d.flush();
    expectStoredExactly(traces);
    expect(logs.join('\n')).toMatch(/timed out after 200 ms/);
  });

  it('500s are retried with backoff until the server recovers; the warning carries the server message', async () => {
    const traces = await makeTraces(3);
    server.inject('/api/3.0/mlflow/traces', { kind: 'status', status: 500, body: JSON.stringify({ error_code: 'INTERNAL_ERROR', message: 'database is locked' }) }, 4);
    const d = mlflow();
    for (const t of traces) d.export(t);
    await d.flush();
    expectStoredExactly(traces);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/POST \/api\/3\.0\/mlflow\/traces → HTTP 500: INTERNAL_ERROR: database is locked/);
    // OTLP spans were logged once per trace: a retry resumes after the step that succeeded.
    expect(server.requestsTo('/v1/traces')).toHaveLength(3);
  });

  it('429 with Retry-After: waits as told (not our 20 ms backoff), then delivers', async () => {
    const [t] = await makeTraces(1);
    server.inject('/api/3.0/mlflow/traces', { kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: JSON.stringify({ error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' }) });
    const d = mlflow();
    d.export(t!);
    await d.flush();
    expectStoredExactly([t!]);
    const attempts = server.requestsTo('/api/3.0/mlflow/traces');
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('malformed JSON in a 200 answer: given up with a clear warning, later traces unaffected', async () => {
    const [bad, good] = await makeTraces(2);
    server.inject('/api/3.0/mlflow/traces', { kind: 'malformed' });
    const d = mlflow({ concurrency: 1 });
    d.export(bad!);
    d.export(good!);
    await d.flush();
    expect(server.traces.get(good!.info.traceId)?.started).toBe(true);
    expect(logs.join('\n')).toMatch(/HTTP 200 but the body is not JSON: <html>502 Bad Gateway/);
    expect(getTracingDiagnostics().dropped[d.description]).toBe(1);
  });

  it('connection reset mid-body and before answering: retried, stored exactly once', async () => {
    const traces = await makeTraces(2);
    server.inject('/api/3.0/mlflow/traces', { kind: 'reset-mid-body' });
    server.inject('/v1/traces', { kind: 'reset' });
    const d = mlflow();
    for (const t of traces) d.export(t);
    await d.flush();
    expectStoredExactly(traces);
    expect(getTracingDiagnostics().dropped).toEqual({});
  });

  it('413 on the OTLP route: that trace falls back to traces.json; 413 on the artifact: dropped with the reason', async () => {
    const [big, other] = await makeTraces(2);
    server.inject('/v1/traces', { kind: 'status', status: 413, body: JSON.stringify({ detail: 'Request Entity Too Large' }) });
    const d = mlflow({ concurrency: 1 });
    d.export(big!);
    await d.flush();
    expectStoredExactly([big!]);
    expect(server.artifacts.has(`0/traces/${big!.info.traceId}/artifacts/traces.json`)).toBe(true);
    expect(logs.join('\n')).toMatch(/HTTP 413: Request Entity Too Large; storing spans as traces\.json instead/);

    server.inject('/v1/traces', { kind: 'status', status: 413 });
    server.inject('/api/2.0/mlflow-artifacts/', { kind: 'status', status: 413, body: 'payload too large' });
    d.export(other!);
    await d.flush();
    expect(getTracingDiagnostics().dropped[d.description]).toBe(1);
    expect(logs.join('\n')).toMatch(/PUT .*traces\.json → HTTP 413: payload too large/);
  });

  it('10,000 traces against a dead server: queue stays bounded, drops are counted, a few warnings only', async () => {
    await server.close();
    const sample = await makeTraces(10);
    const d = mlflow({ maxQueueSize: 500, retry: { ...FAST_RETRY, retryWindowMs: 200 } });
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 10_000; i++) d.export(sample[i % 10]!);
    // export() only appends; nothing has been sent yet, so exactly the overflow was dropped.
    expect(getTracingDiagnostics().dropped[d.description]).toBe(10_000 - 500);
    await d.flush();
    expect(getTracingDiagnostics().dropped[d.description]).toBe(10_000);
    expect(logs.length).toBeLessThanOrEqual(3);
    expect(logs.join('\n')).toMatch(/queue full/);
    expect(logs.join('\n')).toMatch(/gave up/);
    // Loose sanity bound: the queue holds references, not copies.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  });

  it("the app never waits for the server: a traced call returns while the export is still hanging", async () => {
    server.inject('/v1/traces', { kind: 'delay', ms: 800 });
    const d = mlflow();
    setDestination(d);
    const work = trace(async (n: number) => n + 1, { name: 'work' });
    expect(await work(1)).toBe(2);
    // Export is deferred off the caller's stack: no request has even been started yet.
    expect(server.requests).toHaveLength(0);
    await waitFor(() => server.requestsTo('/v1/traces').length === 1, 'OTLP request to arrive');
    expect(server.traces.size).toBe(0);
    await d.flush();
    expect(server.traces.size).toBe(1);
  });
});

describe('fault injection (OTLP destination)', () => {
  it('413 splits the batch until each part fits; a single oversized trace is dropped with the reason', async () => {
    const traces = await makeTraces(8);
    server.inject('/v1/traces', { kind: 'status', status: 413, body: '' }, 2);
    const otlp = createOtlpDestination({ endpoint: server.url, headers: { 'x-mlflow-experiment-id': '0' }, delivery: { retry: FAST_RETRY } });
    for (const t of traces) otlp.export(t);
    await otlp.shutdown();
    const got = new Set(server.otlpRequests.flatMap((r) => r.decoded.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.spanId)));
    expect(got).toEqual(new Set(traces.flatMap((t) => t.data.spans.map((s) => s.spanId))));
    expect(server.otlpRequests.length).toBeGreaterThanOrEqual(3);

    const one = createOtlpDestination({ endpoint: server.url, headers: { 'x-mlflow-experiment-id': '0' } });
    server.inject('/v1/traces', { kind: 'status', status: 413, body: '' });
    one.export(traces[0]!);
    await one.shutdown();
    expect(getTracingDiagnostics().dropped[one.description]).toBe(1);
    expect(logs.join('\n')).toMatch(/HTTP 413: payload too large \(1 trace\(s\) dropped\)/);
  });

  it('export after shutdown is counted as dropped, not thrown', async () => {
    const otlp = createOtlpDestination({ endpoint: server.url, headers: { 'x-mlflow-experiment-id': '0' } });
    await otlp.shutdown();
    const [t] = await makeTraces(1);
    expect(() => otlp.export(t!)).not.toThrow();
    expect(getTracingDiagnostics().dropped[otlp.description]).toBe(1);
    expect(spanToJsonText(t!.data.spans[0]!)).toContain('mlflow.traceRequestId');
  });
});
