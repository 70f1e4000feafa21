import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushTraces, getTracingDiagnostics, resetTracingDiagnostics, setDestination, setDiagnosticLogger, trace } from '../../index.js';
import { spanToJsonText, traceInfoToJson } from '../../model/json.js';
import type { Span } from '../../model/span.js';
import type { Trace } from '../../model/trace.js';
import { startFakeMlflowServer, type FakeMlflowServer } from '../testing/fake-mlflow-server.js';
import { makeErrorTrace, makeTraces } from '../testing/traces.js';
import { createMlflowDestination, type MlflowDestination } from './index.js';

const SERVER_TAGS = ['mlflow.artifactLocation', 'mlflow.trace.spansLocation'];
const sortedSpanTexts = (spans: readonly Span[]) => [...spans].sort((a, b) => a.spanId.localeCompare(b.spanId)).map(spanToJsonText);

function withoutServerTags(info: Record<string, any>): Record<string, any> {
  const tags = { ...info.tags };
  for (const k of SERVER_TAGS) delete tags[k];
  return { ...info, tags };
}

function expectedInfoJson(trace: Trace, experimentId: string) {
  const json = traceInfoToJson(trace.info);
  json.trace_location.mlflow_experiment.experiment_id = experimentId;
  return json;
}

let server: FakeMlflowServer;
let destination: MlflowDestination | undefined;
let logs: string[];

beforeEach(async () => {
  server = await startFakeMlflowServer();
  logs = [];
  setDiagnosticLogger((m) => logs.push(m));
  resetTracingDiagnostics();
});

afterEach(async () => {
  setDestination(undefined);
  await destination?.shutdown();
  destination = undefined;
  await server.close();
});

describe('MLflow destination: end to end through the runtime', () => {
  it('trace() → setDestination(mlflow) → flushTraces(): the server holds exactly that trace, read back equal', async () => {
    destination = createMlflowDestination({ trackingUri: server.url, experimentName: 'x' });
    const seen: Trace[] = [];
    const mlflow = destination;
    // Records what the runtime hands over, so the server copy can be compared with it.
    setDestination({ description: 'recording', export: (t) => (seen.push(t), mlflow.export(t)), flush: () => mlflow.flush(), shutdown: () => mlflow.shutdown() });
    const retrieve = trace(async (q: string) => [`doc about ${q}`], { name: 'retrieve', spanType: 'RETRIEVER' });
    const answer = trace(async (question: string) => `${(await retrieve(question))[0]}!`, { name: 'answer', spanType: 'CHAIN' });
    expect(await answer('mlflow')).toBe('doc about mlflow!');
    await flushTraces();

    expect(server.violations).toEqual([]);
    expect(seen).toHaveLength(1);
    const [local] = seen;
    const experimentId = [...server.experiments.values()].find((e) => e.name === 'x')!.experiment_id;
    expect([...server.traces.keys()]).toEqual([local!.info.traceId]);
    expect(withoutServerTags(server.traces.get(local!.info.traceId)!.info)).toEqual(expectedInfoJson(local!, experimentId));
    const { traces } = await destination.searchTraces();
    expect(traces).toHaveLength(1);
    expect(traces[0]!.info.traceMetadata).toEqual(local!.info.traceMetadata);
    expect(traces[0]!.info.requestPreview).toBe('{"question":"mlflow"}');
    expect(sortedSpanTexts(traces[0]!.data.spans)).toEqual(sortedSpanTexts(local!.data.spans));
  });

  it('trace() → flushTraces() stores exactly the trace (OTLP + StartTraceV3), and searchTraces returns equal spans', async () => {
    const local = await makeTraces(1, { user: 'alice', session: 's-1' });
    const [expected] = local;
    destination = createMlflowDestination({ trackingUri: server.url, experimentName: 'x' });
    setDestination(destination);
    // A real traced call through the runtime, plus the prepared one.
    const ask = trace(async (q: string) => `echo ${q}`, { name: 'ask' });
    await ask('hi');
    destination.export(expected!);
    await flushTraces();

    expect(server.violations).toEqual([]);
    const experimentId = [...server.experiments.values()].find((e) => e.name === 'x')!.experiment_id;
    expect(server.traces.size).toBe(2);
    const stored = server.traces.get(expected!.info.traceId)!;
    expect(withoutServerTags(stored.info)).toEqual(expectedInfoJson(expected!, experimentId));
    expect(stored.info.tags['mlflow.trace.spansLocation']).toBe('TRACKING_STORE');
    // Spans went through OTLP into the store: no artifact upload needed.
    expect(server.artifacts.size).toBe(0);
    expect(server.otlpRequests.every((r) => r.experimentId === experimentId && r.contentType === 'application/x-protobuf')).toBe(true);

    // Call order as the spec prescribes.
    const calls = server.requests.map((r) => `${r.method} ${r.path}`);
    expect(calls.slice(0, 3)).toEqual([
      'GET /api/2.0/mlflow/experiments/get-by-name',
      'POST /api/2.0/mlflow/experiments/create',
      'GET /version',
    ]);
    // Per trace: spans over OTLP first, then StartTraceV3 (traces themselves go concurrently).
    for (const id of server.traces.keys()) {
      const hex = id.slice(3);
      const otlpAt = server.requests.findIndex((r) => r.path === '/v1/traces' && server.otlpRequests.some((o) => o.decoded.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.traceId === hex));
      const startAt = server.requests.findIndex((r) => r.path === '/api/3.0/mlflow/traces' && JSON.parse(r.body.toString()).trace.trace_info.trace_id === id);
      expect(otlpAt).toBeGreaterThanOrEqual(0);
      expect(startAt).toBeGreaterThan(otlpAt);
    }
    expect(server.requestsTo('/v1/traces')).toHaveLength(2);
    expect(server.requestsTo('/api/3.0/mlflow/traces')).toHaveLength(2);

    const page = await destination.searchTraces({ filterString: "tags.run = 'r0'" });
    expect(page.traces).toHaveLength(1);
    const found = page.traces[0]!;
    expect(found.info.traceId).toBe(expected!.info.traceId);
    expect(found.info.traceMetadata).toEqual(expected!.info.traceMetadata);
    expect(found.info.requestTime).toBe(expected!.info.requestTime);
    expect(sortedSpanTexts(found.data.spans)).toEqual(sortedSpanTexts(expected!.data.spans));

    const byId = await destination.getTrace(expected!.info.traceId);
    expect(sortedSpanTexts(byId!.data.spans)).toEqual(sortedSpanTexts(expected!.data.spans));
    expect(await destination.getTrace('tr-00000000000000000000000000000000')).toBeUndefined();
    expect(getTracingDiagnostics().totalErrors).toBe(0);
  });

  it('uses the artifact path (traces.json) on servers older than 3.4, and reads spans back from it', async () => {
    await server.close();
    server = await startFakeMlflowServer({ version: '3.2.0' });
    const [t] = await makeTraces(1);
    const errorTrace = await makeErrorTrace();
    destination = createMlflowDestination({ trackingUri: server.url, experimentId: '0' });
    destination.export(t!);
    destination.export(errorTrace);
    await destination.flush();
    expect(server.violations).toEqual([]);
    expect(server.requestsTo('/v1/traces')).toHaveLength(0);
    expect(server.artifacts.size).toBe(2);
    const key = `0/traces/${t!.info.traceId}/artifacts/traces.json`;
    expect(server.artifacts.get(key)!.toString()).toBe(`{"spans":[${t!.data.spans.map(spanToJsonText).join(',')}]}`);
    const page = await destination.searchTraces({ experimentIds: ['0'], orderBy: ['timestamp_ms ASC'] });
    expect(new Set(page.traces.map((x) => x.info.traceId))).toEqual(new Set([t!.info.traceId, errorTrace.info.traceId]));
    const readBack = page.traces.find((x) => x.info.traceId === errorTrace.info.traceId)!;
    expect(sortedSpanTexts(readBack.data.spans)).toEqual(sortedSpanTexts(errorTrace.data.spans));
    expect(readBack.info.state).toBe('ERROR');
    expect(readBack.data.spans[0]!.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('falls back to the artifact path for good when /v1/traces answers 501 (file-store server)', async () => {
    await server.close();
    server = await startFakeMlflowServer({ otlp: false });
    const traces = await makeTraces(3);
    destination = createMlflowDestination({ trackingUri: server.url });
    for (const t of traces) destination.export(t);
    await destination.flush();
    expect(server.violations).toEqual([]);
    expect(server.requestsTo('/v1/traces').length).toBeGreaterThanOrEqual(1);
    expect(server.artifacts.size).toBe(3);
    const more = await makeTraces(1);
    const otlpBefore = server.requestsTo('/v1/traces').length;
    destination.export(more[0]!);
    await destination.flush();
    expect(server.requestsTo('/v1/traces').length).toBe(otlpBefore);
    // No configured experiment: each trace keeps the one it was started in ("0" by default).
    expect([...server.traces.values()].every((x) => x.info.trace_location.mlflow_experiment.experiment_id === '0')).toBe(true);
    expect(logs).toEqual([]);
  });

  it('gzips large OTLP bodies only for servers that accept it (≥ 3.7)', async () => {
    const [big] = await makeTraces(1, { childSpans: 40 });
    for (const [version, encoding] of [['3.5.0', undefined], ['3.7.1', 'gzip']] as const) {
      await server.close();
      server = await startFakeMlflowServer({ version });
      const d = createMlflowDestination({ trackingUri: server.url, experimentId: '0' });
      d.export(big!);
      await d.shutdown();
      expect(server.violations).toEqual([]);
      expect(server.requestsTo('/v1/traces')[0]!.headers['content-encoding']).toBe(encoding);
      expect(server.traces.get(big!.info.traceId)!.spans).toHaveLength(big!.data.spans.length);
    }
  });

  it('resolves an experiment whose creation raced with another client (RESOURCE_ALREADY_EXISTS → re-read)', async () => {
    const id = server.createExperiment('raced');
    server.inject('/api/2.0/mlflow/experiments/get-by-name', {
      kind: 'status',
      status: 404,
      body: JSON.stringify({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Could not find experiment with name 'raced'" }),
    });
    destination = createMlflowDestination({ trackingUri: server.url, experimentName: 'raced' });
    const [t] = await makeTraces(1);
    destination.export(t!);
    await destination.flush();
    expect(server.traces.get(t!.info.traceId)!.info.trace_location.mlflow_experiment.experiment_id).toBe(id);
    expect(server.requests.map((r) => r.path).slice(0, 3)).toEqual([
      '/api/2.0/mlflow/experiments/get-by-name',
      '/api/2.0/mlflow/experiments/create',
      '/api/2.0/mlflow/experiments/get-by-name',
    ]);
  });

  it('setExperiment(name) redirects later traces and returns the id', async () => {
    destination = createMlflowDestination({ trackingUri: server.url, experimentId: '0' });
    const id = await destination.setExperiment('second');
    expect(server.experiments.get(id)!.name).toBe('second');
    const [t] = await makeTraces(1);
    destination.export(t!);
    await destination.flush();
    expect(server.traces.get(t!.info.traceId)!.info.trace_location.mlflow_experiment.experiment_id).toBe(id);
    await expect(destination.setExperiment('')).rejects.toThrow(/non-empty string/);
  });

  it('pages search results, passes filters through, and surfaces the server message for invalid ones', async () => {
    destination = createMlflowDestination({ trackingUri: server.url, experimentId: '0' });
    const traces = await makeTraces(5);
    for (const t of traces) destination.export(t);
    await destination.flush();
    const first = await destination.searchTraces({ maxResults: 2, includeSpans: false });
    expect(first.traces).toHaveLength(2);
    expect(first.traces[0]!.data.spans).toEqual([]);
    const second = await destination.searchTraces({ maxResults: 2, pageToken: first.nextPageToken! });
    const third = await destination.searchTraces({ maxResults: 2, pageToken: second.nextPageToken! });
    expect(third.nextPageToken).toBeUndefined();
    const all = [...first.traces, ...second.traces, ...third.traces].map((t) => t.info.traceId);
    expect(new Set(all)).toEqual(new Set(traces.map((t) => t.info.traceId)));
    // maxResults above the server's limit is clamped to 500, which the server accepts.
    expect((await destination.searchTraces({ maxResults: 10_000, includeSpans: false })).traces).toHaveLength(5);
    await expect(destination.searchTraces({ filterString: "tags.run = 'r1' OR tags.run = 'r2'" })).rejects.toThrow(/INVALID_PARAMETER_VALUE: Invalid clause\(s\) in filter string: 'OR'/);
    expect(server.violations).toEqual([]);
    const deleted = await destination.deleteTraces({ traceIds: [traces[0]!.info.traceId] });
    expect(deleted).toBe(1);
    expect(server.traces.has(traces[0]!.info.traceId)).toBe(false);
  });
});

describe('MLflow destination: auth and validation', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of ['MLFLOW_TRACKING_TOKEN', 'MLFLOW_TRACKING_USERNAME', 'MLFLOW_TRACKING_PASSWORD']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('sends Bearer MLFLOW_TRACKING_TOKEN on every call', async () => {
    await server.close();
    server = await startFakeMlflowServer({ requireAuthorization: 'Bearer s3cret' });
    process.env.MLFLOW_TRACKING_TOKEN = 's3cret';
    destination = createMlflowDestination({ trackingUri: server.url, experimentName: 'auth' });
    const [t] = await makeTraces(1);
    destination.export(t!);
    await destination.flush();
    expect(server.traces.has(t!.info.traceId)).toBe(true);
    expect(server.requests.every((r) => r.headers.authorization === 'Bearer s3cret')).toBe(true);
    expect((await destination.searchTraces()).traces).toHaveLength(1);
  });

  it('prefers Basic auth (username + password) over a token, as MLflow does', async () => {
    const basic = `Basic ${Buffer.from('ann:pw:with:colons').toString('base64')}`;
    await server.close();
    server = await startFakeMlflowServer({ requireAuthorization: basic });
    process.env.MLFLOW_TRACKING_TOKEN = 'ignored';
    process.env.MLFLOW_TRACKING_USERNAME = 'ann';
    process.env.MLFLOW_TRACKING_PASSWORD = 'pw:with:colons';
    destination = createMlflowDestination({ trackingUri: server.url });
    const [t] = await makeTraces(1);
    destination.export(t!);
    await destination.flush();
    expect(server.traces.has(t!.info.traceId)).toBe(true);
  });

  it('warns once with the server message when credentials are rejected, and drops instead of retrying', async () => {
    await server.close();
    server = await startFakeMlflowServer({ requireAuthorization: 'Bearer right' });
    process.env.MLFLOW_TRACKING_TOKEN = 'wrong';
    destination = createMlflowDestination({ trackingUri: server.url, experimentId: '0' });
    for (const t of await makeTraces(3)) destination.export(t);
    await destination.flush();
    expect(server.traces.size).toBe(0);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/HTTP 401: UNAUTHENTICATED: You are not authenticated/);
    expect(getTracingDiagnostics().dropped[destination.description]).toBe(3);
  });

  it('rejects bad options with errors that name the problem', () => {
    expect(() => createMlflowDestination({ trackingUri: 'file:///tmp/mlruns' })).toThrow(/http\(s\) URL of an MLflow tracking server/);
    expect(() => createMlflowDestination({ trackingUri: 'not a url' })).toThrow(/"trackingUri" must be an http\(s\) URL/);
    expect(() => createMlflowDestination({ trackingUri: server.url, experimentId: '' })).toThrow(/"experimentId" must be a non-empty string/);
  });
});
