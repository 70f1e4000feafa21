/**
 * Traces one call of a framework's own step (a program's `forward`, a query engine's `query`,
 * an agent's `run`) as a CHAIN/AGENT/RETRIEVER/TOOL span through the core's traced-call path:
 * the span is active while the step runs (so the LLM calls it makes nest under it), ends when
 * the returned promise settles, records the resolved value as outputs (or `outputs(value)`),
 * and records a throw or rejection unchanged. A step that returns an async iterator (a
 * `streamingForward`) keeps its span open until the iterator finishes.
 */
import { reportInternalError } from '../../core/diagnostics.js';
import { traceCall, traceInvocation, type SpanInit } from '../../core/tracer.js';
import type { MethodTracer } from './traced-client.js';

export interface StepDescription {
  name: string;
  spanType: string;
  inputs?: unknown;
  attributes?: Record<string, unknown>;
}

/** A MethodTracer for a method that returns a value or a promise. */
export function stepTracer(describe: (self: unknown, args: unknown[]) => StepDescription): MethodTracer {
  return (original, self, args) => {
    let init: SpanInit;
    try {
      init = describe(self, args);
    } catch (error) {
      reportInternalError('autolog: describe step', error);
      return original.apply(self, args);
    }
    return traceCall(init, original as (...a: unknown[]) => unknown, self, args);
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
