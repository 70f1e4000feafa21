/**
 * The one place spans are begun and calls are traced. `trace()`, `@Trace`, `withSpan`,
 * the transformer's injected calls and the autolog integrations all go through here, so
 * they produce identical spans.
 */
import { SpanAttributeKey, type SpanType } from '../model/constants.js';
import { nowNs } from './clock.js';
import { currentFrame } from './context.js';
import { newSpanId, newTraceId } from './ids.js';
import { wrapIterable, wrapLazyIterator, isTraceableIterable } from './iterators.js';
import { LiveSpan, NO_OP_SPAN } from './live-span.js';
import { runtimeState, type ContextFrame } from './state.js';
import { TraceBuffer } from './trace-buffer.js';

export interface SpanInit {
  name: string;
  spanType?: SpanType;
  /** Recorded as `mlflow.spanInputs` (serialized immediately). */
  inputs?: unknown;
  attributes?: Record<string, unknown>;
  /** Recorded as `mlflow.spanFunctionName`. */
  functionName?: string;
  /** Explicit parent; default: the active span. */
  parent?: LiveSpan;
  startTimeUnixNano?: bigint;
}

/**
 * Starts a span under `init.parent` or the frame's span. Returns NO_OP_SPAN when tracing is
 * off, the scope disables it, or the trace is sampled out (descendants then drop too).
 */
export function beginSpan(init: SpanInit, frame: ContextFrame | undefined = currentFrame()): LiveSpan {
  const state = runtimeState();
  if (!state.enabled || frame?.scope?.enabled === false) return NO_OP_SPAN;
  let parent = init.parent ?? frame?.span;
  if (init.parent === undefined && frame?.dropped) return NO_OP_SPAN;
  if (parent && !parent.buffer) return NO_OP_SPAN; // explicit no-op parent
  if (parent?.buffer?.isFinished) parent = undefined; // its trace is gone: start a new one

  let buffer: TraceBuffer;
  if (parent) {
    buffer = parent.buffer!;
  } else {
    if (state.samplingRatio < 1 && Math.random() >= state.samplingRatio) return NO_OP_SPAN;
    buffer = new TraceBuffer(newTraceId(), state.experimentId);
    const scope = frame?.scope;
    if (scope?.metadata) Object.assign(buffer.metadata, scope.metadata);
    if (scope?.tags) Object.assign(buffer.tags, scope.tags);
  }
  const span = new LiveSpan(buffer, buffer.traceId, newSpanId(), parent ? parent.spanId : null, init.name, init.startTimeUnixNano ?? nowNs());
  buffer.onSpanStart(span);
  span.attributes[SpanAttributeKey.SPAN_TYPE] = encodeName(init.spanType ?? 'UNKNOWN');
  if (init.functionName) span.attributes[SpanAttributeKey.FUNCTION_NAME] = encodeName(init.functionName);
  if (init.attributes) span.setAttributes(init.attributes);
  if (init.inputs !== undefined) span.setInputs(init.inputs);
  return span;
}

// Span types and function names repeat on every call: encode each once.
const encodedNames = new Map<string, string>();
function encodeName(name: string): string {
  let encoded = encodedNames.get(name);
  if (encoded === undefined) {
    encoded = JSON.stringify(name);
    if (encodedNames.size < 10_000) encodedNames.set(name, encoded);
  }
  return encoded;
}

export function frameFor(span: LiveSpan, parentFrame: ContextFrame | undefined): ContextFrame {
  return { span, dropped: span === NO_OP_SPAN, scope: parentFrame?.scope };
}

export interface InvocationOptions {
  /** The traced function is a generator: start the span lazily, on first `next()`. */
  generator?: boolean;
}

/**
 * Runs `call` as a traced invocation: the span is active while it runs; the result is
 * recorded when it is known (sync value, promise settlement, or iterator exhaustion);
 * exceptions are recorded and re-thrown untouched.
 */
export function traceInvocation<T>(init: SpanInit | (() => SpanInit), call: () => T, options?: InvocationOptions): T {
  const state = runtimeState();
  if (!state.enabled) return call();
  const parentFrame = currentFrame();
  if (parentFrame?.scope?.enabled === false) return call();
  if (options?.generator) {
    const iterator = call();
    if (!isTraceableIterable(iterator)) return iterator;
    return wrapLazyIterator(iterator as unknown as Iterator<unknown>, () => {
      const span = beginSpan(typeof init === 'function' ? init() : init, parentFrame);
      return frameFor(span, parentFrame);
    }) as T;
  }
  const span = beginSpan(typeof init === 'function' ? init() : init, parentFrame);
  const frame = frameFor(span, parentFrame);
  let result: T;
  try {
    result = state.als.run(frame, call);
  } catch (error) {
    span.recordException(error);
    span.end();
    throw error;
  }
  return settle(span, frame, result);
}

/** Records a call's result on its span, keeping the span open for promises and streams. */
export function settle<T>(span: LiveSpan, frame: ContextFrame, result: T): T {
  if (result instanceof Promise) {
    return result.then(
      (value) => settleValue(span, frame, value),
      (error) => {
        span.recordException(error);
        span.end();
        throw error;
      },
    ) as T;
  }
  if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
    // A foreign thenable (query builder, custom promise): observe it, return it untouched.
    try {
      (result as unknown as PromiseLike<unknown>).then(
        (value) => span.end({ outputs: value }),
        (error) => {
          span.recordException(error);
          span.end();
        },
      );
    } catch (error) {
      span.recordException(error);
      span.end();
    }
    return result;
  }
  return settleValue(span, frame, result);
}

function settleValue<T>(span: LiveSpan, frame: ContextFrame, value: T): T {
  if (span !== NO_OP_SPAN && isTraceableIterable(value)) return wrapIterable(value, frame);
  // Outputs the code set explicitly (span.setOutputs) win over the return value.
  if (span.attributes[SpanAttributeKey.OUTPUTS] === undefined) span.end({ outputs: value });
  else span.end();
  return value;
}
