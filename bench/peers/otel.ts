/**
 * Peer comparison worker: the OpenTelemetry JS SDK doing what a tracer of function calls does:
 * startActiveSpan, JSON of the named inputs and of the output as attributes, end → a
 * BatchSpanProcessor (exporter checks and drops).
 */
import { SpanStatusCode } from '@opentelemetry/api';
import { buildScenarios, type AnyFn, type Wrap } from './scenarios.js';
import { batchProcessor, bufferedSpans, CheckingExporter, registerGlobally } from './otel-common.js';
import { runWorker } from './worker.js';

const processor = batchProcessor(new CheckingExporter('input', 'output', true));
const tracer = registerGlobally([processor]).getTracer('bench');

const wrap: Wrap = (fn, name, params) =>
  function (this: unknown, ...args: unknown[]) {
    return tracer.startActiveSpan(name, (span) => {
      const inputs: Record<string, unknown> = {};
      for (let i = 0; i < params.length; i++) inputs[params[i]!] = args[i];
      span.setAttribute('input', JSON.stringify(inputs));
      let r: unknown;
      try {
        r = (fn as AnyFn).apply(this, args);
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
        throw error;
      }
      if (r instanceof Promise) {
        return r.then(
          (v) => {
            span.setAttribute('output', JSON.stringify(v));
            span.end();
            return v;
          },
          (error) => {
            span.recordException(error as Error);
            span.setStatus({ code: SpanStatusCode.ERROR });
            span.end();
            throw error;
          },
        );
      }
      span.setAttribute('output', JSON.stringify(r));
      span.end();
      return r;
    });
  } as typeof fn;

runWorker({
  scenarios: buildScenarios(wrap),
  pendingSpans: () => bufferedSpans(processor),
  exportAll: () => processor.forceFlush(),
});
