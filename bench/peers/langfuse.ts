/**
 * Peer comparison worker: Langfuse (`@langfuse/tracing` `observe`, capturing input and output)
 * with its OpenTelemetry setup (LangfuseSpanProcessor, batching) — its exporter replaced by one
 * that checks and drops, so nothing leaves the process.
 */
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { observe } from '@langfuse/tracing';
import { buildScenarios, MAX_RETAINED_SPANS, type Wrap } from './scenarios.js';
import { bufferedSpans, CheckingExporter, registerGlobally } from './otel-common.js';
import { runWorker } from './worker.js';

const processor = new LangfuseSpanProcessor({
  publicKey: 'pk-lf-bench',
  secretKey: 'sk-lf-bench',
  baseUrl: 'http://127.0.0.1:9',
  exporter: new CheckingExporter('langfuse.observation.input', 'langfuse.observation.output', false),
  flushAt: MAX_RETAINED_SPANS,
  flushInterval: 3600,
});
registerGlobally([processor]);

const wrap: Wrap = (fn, name) => observe(fn, { name, captureInput: true, captureOutput: true });

runWorker({
  scenarios: buildScenarios(wrap),
  pendingSpans: () => bufferedSpans(processor),
  exportAll: () => processor.forceFlush(),
});
