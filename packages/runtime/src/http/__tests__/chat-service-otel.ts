/**
 * Test program: the chat service (chat-app.ts) in an app that has its own OpenTelemetry SDK
 * (sdk-node, the undici instrumentation for its `fetch` calls, its own exporter) with the
 * tracewright bridge. The tool calls a retrieval API (a second HTTP server of this process) with
 * `fetch`, so an OTel client span is made under the tool span. On SIGTERM it also prints
 * "app-exported <json>": the spans the app's own exporter received.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createOtelBridge } from '@tracewright/runtime/otel';
import { serveChat } from './chat-app.js';

process.env.OTEL_METRICS_EXPORTER = 'none';
process.env.OTEL_LOGS_EXPORTER = 'none';
const bridge = createOtelBridge();
const appExporter = new InMemorySpanExporter();
const appProcessor = new SimpleSpanProcessor(appExporter);
const sdk = new NodeSDK({
  contextManager: bridge.contextManager(new AsyncLocalStorageContextManager()),
  spanProcessors: [bridge.spanProcessor, appProcessor],
  instrumentations: [new UndiciInstrumentation()],
});
sdk.start();
bridge.install();

const retrieval = createServer((_req, res) => res.end('docs about tracing'));
await new Promise<void>((r) => retrieval.listen(0, '127.0.0.1', r));
const retrievalUrl = `http://127.0.0.1:${(retrieval.address() as AddressInfo).port}/search`;

serveChat(
  async (question) => (await fetch(`${retrievalUrl}?q=${encodeURIComponent(question)}`)).text(),
  async () => {
    retrieval.close();
    // Read before shutdown: shutting the in-memory exporter down empties it.
    await appProcessor.forceFlush();
    const exported = appExporter.getFinishedSpans().map((s) => ({
      name: s.name,
      traceId: s.spanContext().traceId,
      spanId: s.spanContext().spanId,
      parentId: s.parentSpanContext?.spanId ?? null,
    }));
    console.log(`app-exported ${JSON.stringify(exported)}`);
    await sdk.shutdown();
  },
);
