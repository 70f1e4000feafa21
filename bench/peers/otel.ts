/**
 * Peer comparison worker: the OpenTelemetry JS SDK doing what a tracer of function calls does:
 * startActiveSpan, JSON of the named inputs and of the output as attributes, end → a
 * BatchSpanProcessor (exporter checks and drops).
 */
import { buildScenarios } from './scenarios.js';
import { batchProcessor, bufferedSpans, CheckingExporter, otelWrap, registerGlobally } from './otel-common.js';
import { runWorker } from './worker.js';

const processor = batchProcessor(new CheckingExporter('input', 'output', true));
const tracer = registerGlobally([processor]).getTracer('bench');

const wrap = otelWrap(tracer);

runWorker({
  scenarios: buildScenarios(wrap),
  pendingSpans: () => bufferedSpans(processor),
  exportAll: () => processor.forceFlush(),
});
