/**
 * Traces one call of a framework's own step (a program's `forward`, a query engine's `query`,
 * an agent's `run`) as a CHAIN/AGENT/RETRIEVER/TOOL span through the core's traced-call path:
 * the span is active while the step runs (so the LLM calls it makes nest under it), ends when
 * the returned promise settles, records the resolved value as outputs (or `outputs(value)`),
 * and records a throw or rejection unchanged. A step that returns an async iterator (a
 * `streamingForward`) keeps its span open until the iterator finishes.
 */
import { reportInternalError } from '../../core/diagnostics.js';
import type { LiveSpan } from '../../core/live-span.js';
import { observePromise } from '../../core/promise-observer.js';
import { traceCall, traceInvocation, type SpanInit } from '../../core/tracer.js';
import { maskRecordedException, secretsOfError } from './llm-call.js';
import type { MethodTracer } from './traced-client.js';

export interface StepDescription {
  name: string;
  spanType: string;
  inputs?: unknown;
  attributes?: Record<string, unknown>;
  /** What the span records of the step's (resolved) value; default the value itself. */
  outputs?: (value: unknown) => unknown;
}

function failMasked(span: LiveSpan, error: unknown): void {
  const secrets = secretsOfError(error);
  if (!secrets) return;
  span.recordException(error);
  maskRecordedException(span, secrets);
  span.end();
}

function recordOutputs(span: LiveSpan, outputs: (value: unknown) => unknown, value: unknown): void {
  try {
    span.setOutputs(outputs(value));
  } catch (error) {
    reportInternalError('autolog: record step outputs', error);
  }
}

/** A MethodTracer for a method that returns a value or a promise. */
export function stepTracer(describe: (self: unknown, args: unknown[]) => StepDescription): MethodTracer {
  return (original, self, args) => {
    let init: SpanInit;
    let outputs: StepDescription['outputs'];
    try {
      ({ outputs, ...init } = describe(self, args));
    } catch (error) {
      reportInternalError('autolog: describe step', error);
      return original.apply(self, args);
    }
    // Outputs set before the span ends are kept. A rejection an SDK call recorded with a
    // credential masked is recorded here first, masked the same way (an ended span takes no
    // second record). The observer leaves the promise's handled state as it is.
    return traceCall(
      init,
      (span: LiveSpan) => {
        const result = original.apply(self, args);
        if (result instanceof Promise) {
          observePromise(result, undefined, (value) => outputs && recordOutputs(span, outputs, value), (error) => failMasked(span, error));
        } else if (outputs) recordOutputs(span, outputs, result);
        return result;
      },
      undefined,
      undefined,
      true,
    );
  };
}

/** A MethodTracer for a method that returns an (async) iterator: the span lasts from the first `next()` to its end. */
export function streamingStepTracer(describe: (self: unknown, args: unknown[]) => StepDescription): MethodTracer {
  return (original, self, args) =>
    traceInvocation(
      () => {
        try {
          return describe(self, args);
        } catch (error) {
          reportInternalError('autolog: describe step', error);
          return { name: original.name || 'step' };
        }
      },
      () => original.apply(self, args),
      { generator: true },
    );
}
