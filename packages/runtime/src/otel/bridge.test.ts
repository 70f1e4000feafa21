/**
 * The OpenTelemetry bridge with a real app setup: @opentelemetry/sdk-node with the real
 * HTTP instrumentation and the app's own exporter, an HTTP server and client on 127.0.0.1.
 */
import { createRequire } from 'node:module';
import type * as Http from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { withSpan } from '../api/spans.js';
import { useMemoryDestination } from '../core/__tests__/memory.js';
import { isContinuedPart } from '../core/remote-parent.js';
import { waitFor } from '../exporters/testing/wait.js';
import { createOtelBridge } from './index.js';

const memory = useMemoryDestination();

// Taken before anything of the bridge exists: tracewright must not register OTel globals.
const providerBefore = trace.getTracerProvider();
const contextBefore = context.active();
const propagatorFieldsBefore = propagation.fields();
const bridge = createOtelBridge();
const unregisteredByTracewright = {
  provider: trace.getTracerProvider() === providerBefore,
  context: context.active() === contextBefore,
  propagator: JSON.stringify(propagation.fields()) === JSON.stringify(propagatorFieldsBefore),
};

const appExporter = new InMemorySpanExporter();
let sdk: NodeSDK;
let http: typeof Http;
let server: Http.Server;
let url: string;
let uninstall: () => void;

beforeAll(async () => {
  // The app exports only traces, to its own exporter (no OTLP metrics/logs pipelines to wait on at shutdown).
  process.env.OTEL_METRICS_EXPORTER = 'none';
  process.env.OTEL_LOGS_EXPORTER = 'none';
  sdk = new NodeSDK({
    contextManager: bridge.contextManager(new AsyncLocalStorageContextManager()),
    spanProcessors: [bridge.spanProcessor, new SimpleSpanProcessor(appExporter)],
    instrumentations: [new HttpInstrumentation(), new UndiciInstrumentation()],
  });
  sdk.start();
  uninstall = bridge.install();
  // Required after start, as an app does, so the instrumentation has patched it.
  http = createRequire(import.meta.url)('node:http');
  server = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/docs`;
});

afterAll(async () => {
  uninstall?.();
  await new Promise((r) => server?.close(r));
  await sdk?.shutdown();
});

const get = (target: string) =>
  new Promise<string>((resolve, reject) => {
    http.get(target, (res) => {
      let body = '';
      res.on('data', (c) => (body += c)).on('end', () => resolve(body));
    }).on('error', reject);
  });

describe('OpenTelemetry bridge', () => {
  test('creating the bridge registers no global tracer provider, context manager or propagator', () => {
    expect(unregisteredByTracewright).toEqual({ provider: true, context: true, propagator: true });
  });

  test('an OTel HTTP span inside a tracewright span is its child (same trace id) and joins the trace; the app exporter still gets it', async () => {
    appExporter.reset();
    const { traceId, spanId } = await withSpan(async (span) => {
      expect(await get(url)).toBe('ok');
      return { traceId: span.traceId, spanId: span.spanId };
    }, { name: 'tool', spanType: 'TOOL' });
    await waitFor(() => memory.traces.length > 0, 'the tracewright trace');
    const [t] = memory.traces;
    expect(t!.info.traceId).toBe(traceId);
    const client = t!.data.spans.find((s) => s.parentId === spanId && s.name !== 'tool')!;
    expect(client).toBeDefined();
    expect(client.attributes['http.response.status_code'] ?? client.attributes['http.status_code']).toBe(200);
    // The server side of the same call (instrumented too) nests under the client span.
    expect(t!.data.spans.some((s) => s.parentId === client.spanId)).toBe(true);
    expect(t!.data.spans.every((s) => s.traceId === traceId)).toBe(true);

    // The SDK exports once its resource detection settled: asynchronously.
    await waitFor(() => appExporter.getFinishedSpans().some((s) => s.spanContext().spanId === client.spanId), 'the app exporter');
    const exported = appExporter.getFinishedSpans();
    const appClient = exported.find((s) => s.spanContext().spanId === client.spanId)!;
    expect(appClient.spanContext().traceId).toBe(traceId.slice(3));
    expect(appClient.parentSpanContext?.spanId).toBe(spanId);
    expect(exported.length).toBeGreaterThanOrEqual(2);
  });

  test('fetch (undici instrumentation) inside a tracewright span: its OTel span is a child in the same trace', async () => {
    const before = memory.traces.length;
    const { traceId, spanId } = await withSpan(async (span) => {
      expect(await (await fetch(url)).text()).toBe('ok');
      return { traceId: span.traceId, spanId: span.spanId };
    }, { name: 'retrieve', spanType: 'TOOL' });
    await waitFor(() => memory.traces.length > before, 'the tracewright trace');
    const t = memory.traces.find((x) => x.info.traceId === traceId)!;
    const fetchSpan = t.data.spans.find((s) => s.parentId === spanId)!;
    expect(fetchSpan).toBeDefined();
    expect(fetchSpan.attributes['http.request.method']).toBe('GET');
    // the request went out with the fetch span as traceparent: the server span (HTTP instrumentation) nests under it
    expect(t.data.spans.some((s) => s.parentId === fetchSpan.spanId)).toBe(true);
  });

  test('a tracewright span inside an active OTel span is its child; the OTel span is written as the root part of the same trace', async () => {
    const tracer = trace.getTracer('app');
    const otelIds = await tracer.startActiveSpan('app-operation', async (otelSpan) => {
      await withSpan(async () => 'answer', { name: 'llm-call', spanType: 'LLM' });
      otelSpan.end();
      return otelSpan.spanContext();
    });
    await waitFor(() => memory.traces.length >= 2, 'both parts');
    const parts = memory.traces.filter((t) => t.info.traceId === `tr-${otelIds.traceId}`);
    expect(parts).toHaveLength(2);
    const continued = parts.find((p) => isContinuedPart(p.info))!;
    const root = parts.find((p) => !isContinuedPart(p.info))!;
    expect(continued.data.spans.map((s) => [s.name, s.parentId])).toEqual([['llm-call', otelIds.spanId]]);
    expect(root.data.spans.map((s) => [s.name, s.parentId])).toEqual([['app-operation', null]]);
    await waitFor(() => appExporter.getFinishedSpans().some((s) => s.name === 'app-operation'), 'the app exporter');
  });
});
