import { ROOT_CONTEXT, SpanKind, trace as otelTrace, type Span as OtelSpan } from '@opentelemetry/api';
import { OTLPTraceExporter as OfficialJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OfficialProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetTracingDiagnostics, setDiagnosticLogger } from '../../index.js';
import { spanToJsonText } from '../../model/json.js';
import type { Span } from '../../model/span.js';
import type { Trace } from '../../model/trace.js';
import { createMlflowDestination } from '../mlflow/index.js';
import { startFakeMlflowServer, type FakeMlflowServer } from '../testing/fake-mlflow-server.js';
import { decodeOtlpJson, decodeOtlpProtobuf, type DecodedSpan } from '../testing/otlp-official.js';
import { makeErrorTrace, makeTraces } from '../testing/traces.js';
import { resolveOtlpConfig } from './config.js';
import { encodeTraceRequestJson } from './encode-json.js';
import { encodeTraceRequestProtobuf } from './encode-protobuf.js';
import { createOtlpDestination } from './index.js';
import { envelopeFromEnv } from './resource.js';
import { spanViewsOf, type OtlpValue } from './span-view.js';

const hr = (ns: bigint): [number, number] => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
const STATUS = { UNSET: 0, OK: 1, ERROR: 2 } as const;

/**
 * Replays a trace through the official OpenTelemetry JS SDK + `exporter`, with the same ids,
 * times, attributes, events and status, so both encodings of the same spans can be compared.
 */
async function exportWithOfficialSdk(t: Trace, exporter: SpanExporter, extraRootAttributes: Record<string, string> = {}): Promise<void> {
  const ids = t.data.spans.map((s) => s.spanId);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'official' }),
    idGenerator: { generateTraceId: () => t.info.traceId.slice(3), generateSpanId: () => ids.shift()! },
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('official');
  const live = new Map<string, OtelSpan>();
  for (const s of t.data.spans) {
    const parent = s.parentId ? live.get(s.parentId)! : undefined;
    const ctx = parent ? otelTrace.setSpan(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
    const attributes = { ...s.encodedAttributes, ...(s.parentId ? {} : extraRootAttributes) };
    const span = tracer.startSpan(s.name, { kind: SpanKind.INTERNAL, startTime: hr(s.startTimeUnixNano), attributes }, ctx);
    for (const e of s.events) span.addEvent(e.name, e.attributes as Record<string, any>, hr(e.timestamp));
    const code = STATUS[s.status.statusCode.replace('STATUS_CODE_', '') as keyof typeof STATUS];
    span.setStatus(s.status.description ? { code, message: s.status.description } : { code });
    live.set(s.spanId, span);
  }
  for (const s of [...t.data.spans].reverse()) live.get(s.spanId)!.end(hr(s.endTimeUnixNano!));
  await provider.forceFlush();
  await provider.shutdown();
}

/** proto3 has no presence for scalars: an explicit 0 and an absent field are the same message. */
function withoutZeroCounts<T extends object>(o: T): T {
  const out: any = { ...o };
  for (const k of ['droppedAttributesCount', 'droppedEventsCount', 'droppedLinksCount']) if (out[k] === 0) delete out[k];
  if (out.events) out.events = out.events.map(withoutZeroCounts);
  return out;
}

const spansOf = (server: FakeMlflowServer, contentType?: string): DecodedSpan[] =>
  server.otlpRequests
    .filter((r) => !contentType || r.contentType === contentType)
    .flatMap((r) => r.decoded.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)))
    .map(withoutZeroCounts)
    .sort((a, b) => a.spanId.localeCompare(b.spanId));

const sortedSpanTexts = (spans: readonly Span[]) => [...spans].sort((a, b) => a.spanId.localeCompare(b.spanId)).map(spanToJsonText);

let server: FakeMlflowServer;
beforeEach(async () => {
  server = await startFakeMlflowServer();
  setDiagnosticLogger(null);
  resetTracingDiagnostics();
});
afterEach(async () => {
  await server.close();
});

describe('OTLP encoding matches the official OpenTelemetry JS exporters', () => {
  it('protobuf: our request decodes with the official definitions to the same spans the official exporter sends', async () => {
    const [t] = await makeTraces(1, { user: 'u1', session: 's1', childSpans: 2 });
    const errorTrace = await makeErrorTrace();
    const endpoint = `${server.url}/v1/traces`;
    const headers = { 'x-mlflow-experiment-id': '0' };
    for (const x of [t!, errorTrace]) {
      await exportWithOfficialSdk(x, new OfficialProtoExporter({ url: endpoint, headers }), rootExtras(x));
    }
    const official = spansOf(server);
    server.otlpRequests.length = 0;

    const ours = createOtlpDestination({ endpoint, headers, protocol: 'http/protobuf' });
    ours.export(t!);
    ours.export(errorTrace);
    await ours.shutdown();
    expect(server.violations).toEqual([]);
    const mine = spansOf(server, 'application/x-protobuf');
    expect(mine).toHaveLength(t!.data.spans.length + errorTrace.data.spans.length);
    expect(mine).toEqual(official);
  });

  it('JSON: our OTLP/JSON request (hex ids, string times) equals the official JSON exporter after official decoding', async () => {
    const [t] = await makeTraces(1, { childSpans: 1 });
    const endpoint = `${server.url}/v1/traces`;
    const headers = { 'x-mlflow-experiment-id': '0' };
    await exportWithOfficialSdk(t!, new OfficialJsonExporter({ url: endpoint, headers }), rootExtras(t!));
    const official = spansOf(server, 'application/json');
    // SimpleSpanProcessor sends one request per span: collect them all.
    const officialRawSpans = server.requestsTo('/v1/traces').flatMap((r) => JSON.parse(r.body.toString()).resourceSpans[0].scopeSpans[0].spans);
    server.otlpRequests.length = 0;

    const ours = createOtlpDestination({ endpoint, headers, protocol: 'http/json', compression: 'none' });
    ours.export(t!);
    await ours.shutdown();
    expect(server.violations).toEqual([]);
    expect(spansOf(server, 'application/json')).toEqual(official);
    // Wire-level conventions: hex ids and decimal-string times, exactly like the official exporter.
    const raw = JSON.parse(server.requestsTo('/v1/traces').at(-1)!.body.toString());
    const mineRoot = raw.resourceSpans[0].scopeSpans[0].spans.find((s: any) => !s.parentSpanId);
    const officialRoot = officialRawSpans.find((s: any) => !s.parentSpanId);
    for (const key of ['traceId', 'spanId', 'startTimeUnixNano', 'endTimeUnixNano', 'kind', 'flags']) expect(mineRoot[key]).toEqual(officialRoot[key]);
  });

  it('encodes edge values: long UTF-8 strings, negative/large ints, doubles, arrays, empty names', () => {
    const envelope = envelopeFromEnv({ OTEL_SERVICE_NAME: 'svc', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,team=a%2Cb' });
    const long = 'é€😀'.repeat(20_000);
    const values: OtlpValue[] = [long, -5, 2 ** 53 + 10, 1.25, -0.5, true, false, ['x', 1, 2.5, false], []];
    const span = {
      traceIdHex: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanIdHex: '00f067aa0ba902b7',
      parentSpanIdHex: undefined,
      name: '',
      startTimeUnixNano: 1718460461282000123n,
      endTimeUnixNano: 9223372036854775807n, // int64 max: well past 2^53
      attributes: values.map((v, i) => [`k${i}`, v] as const),
      events: [],
      statusCode: 2,
      statusMessage: 'TypeError: boom',
    };
    const proto = decodeOtlpProtobuf(encodeTraceRequestProtobuf(envelope, [span]));
    const json = decodeOtlpJson(encodeTraceRequestJson(envelope, [span]));
    expect(proto).toEqual(json);
    const s = proto.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(s.startTimeUnixNano).toBe('1718460461282000123');
    expect(s.endTimeUnixNano).toBe('9223372036854775807');
    expect(s.status).toEqual({ code: 2, message: 'TypeError: boom' });
    const attrs = Object.fromEntries(s.attributes!.map((kv) => [kv.key, kv.value]));
    expect(attrs.k0).toEqual({ stringValue: long });
    expect(attrs.k1).toEqual({ intValue: '-5' });
    expect(attrs.k2).toEqual({ doubleValue: 2 ** 53 + 10 });
    expect(attrs.k7).toEqual({ arrayValue: { values: [{ stringValue: 'x' }, { intValue: '1' }, { doubleValue: 2.5 }, { boolValue: false }] } });
    const resource = Object.fromEntries(proto.resourceSpans[0]!.resource!.attributes!.map((kv) => [kv.key, kv.value.stringValue]));
    expect(resource).toMatchObject({ 'service.name': 'svc', 'deployment.environment': 'prod', team: 'a,b' });
  });
});

function rootExtras(t: Trace): Record<string, string> {
  const extras: Record<string, string> = {};
  const meta = t.info.traceMetadata;
  if (meta['mlflow.trace.user'] !== undefined) extras['user.id'] = meta['mlflow.trace.user'];
  if (meta['mlflow.trace.session'] !== undefined) extras['session.id'] = meta['mlflow.trace.session'];
  for (const [k, v] of Object.entries(t.info.tags)) extras[`mlflow.traceTag.${k}`] = v;
  return extras;
}

describe('OTLP destination', () => {
  it("an MLflow server's OTLP route rebuilds the same trace (user, session, tags, previews, spans)", async () => {
    const [t] = await makeTraces(1, { user: 'alice', session: 'chat-42', childSpans: 40 });
    const otlp = createOtlpDestination({ endpoint: server.url, headers: { 'x-mlflow-experiment-id': '0' } });
    otlp.export(t!);
    await otlp.shutdown();
    expect(server.violations).toEqual([]);
    // Large enough (> 8 KiB) to be gzipped; the fake inflates it like MLflow ≥ 3.7 does.
    expect(server.requestsTo('/v1/traces')[0]!.headers['content-encoding']).toBe('gzip');

    const reader = createMlflowDestination({ trackingUri: server.url, experimentId: '0' });
    const rebuilt = (await reader.getTrace(t!.info.traceId))!;
    await reader.shutdown();
    expect(rebuilt.info.traceMetadata['mlflow.trace.user']).toBe('alice');
    expect(rebuilt.info.traceMetadata['mlflow.trace.session']).toBe('chat-42');
    for (const [k, v] of Object.entries(t!.info.tags)) expect(rebuilt.info.tags[k]).toBe(v);
    expect(rebuilt.info.requestPreview).toBe(t!.info.requestPreview);
    expect(rebuilt.info.responsePreview).toBe(t!.info.responsePreview);
    expect(rebuilt.info.state).toBe(t!.info.state);
    expect(rebuilt.info.requestTime).toBe(t!.info.requestTime);
    // Spans equal the local ones once the root's trace-level copies are set aside.
    const root = rebuilt.data.spans.find((s) => !s.parentId)!;
    for (const key of Object.keys(root.encodedAttributes)) {
      if (key === 'user.id' || key === 'session.id' || key.startsWith('mlflow.traceTag.')) delete root.encodedAttributes[key];
    }
    expect(sortedSpanTexts(rebuilt.data.spans)).toEqual(sortedSpanTexts(t!.data.spans));
  });

  it('batches many traces into few requests and never splits a span list across experiments', async () => {
    const traces = await makeTraces(40);
    const otlp = createOtlpDestination({ endpoint: `${server.url}/v1/traces`, headers: { 'x-mlflow-experiment-id': '0' } });
    for (const t of traces) otlp.export(t);
    await otlp.flush();
    await otlp.shutdown();
    const spanCount = traces.reduce((n, t) => n + t.data.spans.length, 0);
    expect(spansOf(server)).toHaveLength(spanCount);
    expect(server.otlpRequests.length).toBeLessThanOrEqual(Math.ceil(spanCount / 512) + 1);
  });

  it('takes endpoint, headers, protocol and timeout from OTEL_EXPORTER_OTLP_* variables', async () => {
    const base = resolveOtlpConfig({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_EXPORTER_OTLP_HEADERS: 'a=1,b=x%20y' });
    expect(base.url.href).toBe('http://collector:4318/v1/traces');
    expect(base.headers).toEqual({ a: '1', b: 'x y' });
    expect(base.protocol).toBe('http/protobuf');
    const specific = resolveOtlpConfig(
      {},
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:9999/custom/path',
        OTEL_EXPORTER_OTLP_HEADERS: 'a=1',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'a=2',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'none',
      },
    );
    expect(specific.url.href).toBe('http://collector:9999/custom/path');
    expect(specific.headers).toEqual({ a: '2' });
    expect(specific.protocol).toBe('http/json');
    expect(specific.timeoutMs).toBe(2500);
    expect(specific.compression).toBe('none');
    expect(resolveOtlpConfig({}, {}).url.href).toBe('http://localhost:4318/v1/traces');
    expect(() => resolveOtlpConfig({ endpoint: 'grpc://x:4317' }, {})).toThrow(/http: or https:/);
    expect(() => resolveOtlpConfig({ protocol: 'grpc' as any }, {})).toThrow(/'http\/protobuf' or 'http\/json'/);

    // And for real: env-configured destination reaches the server with the env headers.
    const saved = { ...process.env };
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = server.url;
    process.env.OTEL_EXPORTER_OTLP_HEADERS = 'x-mlflow-experiment-id=0,x-team=ml';
    process.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'http/json';
    try {
      const otlp = createOtlpDestination();
      const [t] = await makeTraces(1);
      otlp.export(t!);
      await otlp.shutdown();
    } finally {
      for (const k of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
    const r = server.requestsTo('/v1/traces')[0]!;
    expect(r.headers['x-team']).toBe('ml');
    expect(r.headers['content-type']).toBe('application/json');
    expect(server.violations).toEqual([]);
  });

  it("warns once with the collector's reason on an OTLP partial success (JSON and protobuf answers)", async () => {
    const logs: string[] = [];
    setDiagnosticLogger((m) => logs.push(m));
    const [t] = await makeTraces(1);
    const { ExportTraceServiceResponse } = await import('../testing/otlp-official.js');
    const protoBody = ExportTraceServiceResponse.encode(ExportTraceServiceResponse.fromObject({ partialSuccess: { rejectedSpans: 2, errorMessage: 'attribute too long' } })).finish();
    server.inject('/v1/traces', { kind: 'status', status: 200, headers: { 'content-type': 'application/x-protobuf' }, body: protoBody });
    server.inject('/v1/traces', { kind: 'status', status: 200, body: JSON.stringify({ partialSuccess: { rejectedSpans: '1', errorMessage: 'bad span' } }) });
    for (const protocol of ['http/protobuf', 'http/json'] as const) {
      resetTracingDiagnostics(); // same endpoint ⇒ same warning site, which warns only once
      const otlp = createOtlpDestination({ endpoint: server.url, headers: { 'x-mlflow-experiment-id': '0' }, protocol });
      otlp.export(t!);
      await otlp.shutdown();
    }
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatch(/rejected 2 of \d+ span\(s\): attribute too long/);
    expect(logs[1]).toMatch(/rejected 1 of \d+ span\(s\): bad span/);
  });

  it('span views carry MLflow attributes verbatim (JSON-encoded strings) and trace-level copies only on the root', async () => {
    const [t] = await makeTraces(1, { user: 'bob' });
    const views = spanViewsOf(t!, { traceLevelAttributes: true });
    const root = views.find((v) => !v.parentSpanIdHex)!;
    const child = views.find((v) => v.parentSpanIdHex)!;
    expect(Object.fromEntries(root.attributes)['mlflow.spanType']).toBe('"AGENT"');
    expect(Object.fromEntries(root.attributes)['user.id']).toBe('bob');
    expect(Object.fromEntries(root.attributes)['mlflow.traceTag.run']).toBe('r0');
    expect(Object.keys(Object.fromEntries(child.attributes)).some((k) => k === 'user.id' || k.startsWith('mlflow.traceTag.'))).toBe(false);
    const plain = spanViewsOf(t!, { traceLevelAttributes: false });
    expect(Object.fromEntries(plain.find((v) => !v.parentSpanIdHex)!.attributes)['user.id']).toBeUndefined();
  });
});
