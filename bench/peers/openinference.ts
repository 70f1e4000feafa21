/**
 * Peer comparison worker: OpenInference (`@arizeai/openinference-core` traceChain wrappers,
 * which record input.value / output.value) over the OpenTelemetry SDK with a BatchSpanProcessor.
 */
import { traceChain } from '@arizeai/openinference-core';
import { buildScenarios, type Wrap } from './scenarios.js';
import { batchProcessor, bufferedSpans, CheckingExporter, registerGlobally } from './otel-common.js';
import { runWorker } from './worker.js';

const processor = batchProcessor(new CheckingExporter('input.value', 'output.value', false));
const tracer = registerGlobally([processor]).getTracer('bench');

const wrap: Wrap = (fn, name) => traceChain(fn, { name, tracer });

runWorker({
  scenarios: buildScenarios(wrap),
  pendingSpans: () => bufferedSpans(processor),
  exportAll: () => processor.forceFlush(),
});
