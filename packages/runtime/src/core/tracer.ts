/**
 * The one place spans are begun and calls are traced. `trace()`, `@Trace`, `withSpan`,
 * the transformer's injected calls and the autolog integrations all go through here, so
 * they produce identical spans.
 */
import { EXCEPTION_EVENT, SpanAttributeKey, SpanStatusCode, type SpanType } from '../model/constants.js';
import { monoToNs, nowMono } from './clock.js';
import { currentFrame } from './context.js';
import { reportInternalError } from './diagnostics.js';
import { newSpanId, newTraceId } from './ids.js';
import { isAsyncFunction, isNativePromise, mathRandom, reflectApply } from './intrinsics.js';
import { knownOutcome } from './known-outcomes.js';
import { wrapLazyIterator, isTraceableIterable } from './iterators.js';
import { LiveSpan, NO_OP_SPAN } from './live-span.js';
import { observePromise, observeWhenConsumed } from './promise-observer.js';
import { RemoteParentSpan } from './remote-parent.js';
import { runSpanHooks } from './span-hooks.js';
import { isStackOverflow, leftovers, reportQuietly, runLeftovers } from './stack-limit.js';
import { runtimeState, type ContextFrame, type RuntimeState } from './state.js';
import { callsRunInside } from '../platform/async-context.js';
import type { RemoteSpanContext } from './trace-context.js';
import { TraceBuffer } from './trace-buffer.js';
import { quotedOnce } from '../model/json-text.js';

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
  /** @internal The span type and function name as recorded, made once (see {@link sharedSpanInit}). */
  readonly encoded?: { readonly spanType: string; readonly functionName: string | undefined };
}

/**
 * `init` for a wrapper to pass on every call (its inputs beside it): what it records of the
 * span type and function name is encoded once, not per call.
 */
export function sharedSpanInit(init: SpanInit): SpanInit {
  return { ...init, encoded: { spanType: encodedSpanType(init), functionName: encodedFunctionName(init) } };
}

function encodedSpanType(init: SpanInit): string {
  return quotedOnce(init.spanType ?? 'UNKNOWN');
}
function encodedFunctionName(init: SpanInit): string | undefined {
  return init.functionName ? quotedOnce(init.functionName) : undefined;
}

/**
 * Starts a span under `init.parent` or the frame's span. Returns NO_OP_SPAN when tracing is
 * off, the scope disables it, the trace is sampled out (descendants then drop too), the trace
 * is over its span budget, or a value is being recorded (no spans while serializing).
 */
export function beginSpan(init: SpanInit, frame: ContextFrame | undefined = currentFrame(), inputs: unknown = init.inputs): LiveSpan {
  const state = runtimeState();
  if (startsNothing(state, frame, init)) return NO_OP_SPAN;
  let parent = init.parent ?? frame?.span;
  if (parent === undefined && state.externalParent) {
    const external = externalParent(state.externalParent);
    if (external && !external.sampled) return NO_OP_SPAN;
    if (external) parent = new RemoteParentSpan(external);
  }
  if (parent instanceof RemoteParentSpan) parent = parent.parentForNewSpan(frame?.scope);
  if (parent && !parent.buffer) return NO_OP_SPAN; // explicit no-op parent
  if (parent?.buffer?.isFinished) parent = undefined; // its trace is gone: start a new one

  let buffer: TraceBuffer;
  if (parent) {
    buffer = parent.buffer!;
    if (!buffer.admitSpan()) return NO_OP_SPAN;
  } else {
    if (state.samplingRatio < 1 && mathRandom() >= state.samplingRatio) return NO_OP_SPAN;
    buffer = new TraceBuffer(newTraceId(), state.experimentId);
    const scope = frame?.scope;
    if (scope?.metadata) Object.assign(buffer.metadata, scope.metadata);
    if (scope?.tags) Object.assign(buffer.tags, scope.tags);
  }
  const span = new LiveSpan(buffer, buffer.traceId, newSpanId(), parent ? parent.spanId : null, init.name, init.startTimeUnixNano ?? nowMono());
  buffer.onSpanStart(span);
  try {
    const encoded = init.encoded;
    span.encodedAttributes[SpanAttributeKey.SPAN_TYPE] = encoded ? encoded.spanType : encodedSpanType(init);
    const functionName = encoded ? encoded.functionName : encodedFunctionName(init);
    if (functionName !== undefined) span.encodedAttributes[SpanAttributeKey.FUNCTION_NAME] = functionName;
    if (init.attributes) span.setAttributes(init.attributes);
    if (inputs !== undefined) span.setInputs(inputs);
  } catch (error) {
    // Only near the stack limit (recording a value swallows its own failures): a span begun
    // but never handed out would hold its trace open until the orphan wait ran out.
    try {
      buffer.withdrawSpan(span);
    } catch {
      leftovers[leftovers.length] = () => buffer.withdrawSpan(span);
    }
    throw error;
  }
  if (state.spanStartHooks.length > 0) runSpanHooks(state.spanStartHooks, span, 'span start hook');
  return span;
}

/**
 * No span is started under `frame`: tracing is off, a value is being recorded (no spans while
 * serializing), the scope disables tracing, or the frame's subtree is dropped (sampled out, or
 * past the trace's span budget) and no explicit parent is given. tracedContext() spells the
 * same rule out for spans with no explicit parent (a call less on every traced call): change both.
 */
function startsNothing(state: RuntimeState, frame: ContextFrame | undefined, init: SpanInit): boolean {
  return !state.enabled || state.recording !== 0 || (frame !== undefined && (frame.scope?.enabled === false || (frame.dropped && init.parent === undefined)));
}

function externalParent(read: () => RemoteSpanContext | undefined): RemoteSpanContext | undefined {
  try {
    return read();
  } catch (error) {
    reportInternalError('read the OpenTelemetry parent span', error);
    return undefined;
  }
}

export function frameFor(span: LiveSpan, parentFrame: ContextFrame | undefined): ContextFrame {
  return { span, dropped: span === NO_OP_SPAN, scope: parentFrame?.scope, caller: parentFrame };
}

export interface InvocationOptions {
  /** The traced function is a generator: start the span lazily, on first `next()`. */
  generator?: boolean;
}

const NO_ARGS: readonly unknown[] = [];

/**
 * Runs `call` as a traced invocation (see {@link traceCall}). For a generator function the
 * span starts on the first `next()` and lasts until the generator finishes.
 */
export function traceInvocation<T>(init: SpanInit | (() => SpanInit), call: () => T, options?: InvocationOptions): T {
  const state = runtimeState();
  if (!state.enabled || state.recording !== 0) return call();
  if (options?.generator) {
    const parentFrame = currentFrame();
    if (parentFrame?.scope?.enabled === false) return call();
    const iterator = call();
    if (!isTraceableIterable(iterator)) return iterator;
    return wrapLazyIterator(iterator as unknown as Iterator<unknown>, () => {
      const span = beginSpan(typeof init === 'function' ? init() : init, parentFrame);
      return frameFor(span, parentFrame);
    }) as T;
  }
  return traceCall(typeof init === 'function' ? init() : init, call, undefined, NO_ARGS);
}

/** The context of a traced call while it runs (its span's frame; `caller` is the caller's). */
export interface CallFrame extends ContextFrame {
  readonly caller: ContextFrame | undefined;
}

/**
 * Begins a traced call: starts its span and makes it the active context. Returns undefined
 * when the call is not traced (disabled, inside a disabled scope, or while a value is being
 * recorded); the caller then just calls the function. `inputs`, when given, are recorded
 * instead of `init.inputs` (a wrapper then reuses one `init` for all its calls).
 *
 * The call itself is made by the caller, between enterCall and leaveCall / failCall, so that
 * while a traced function runs tracing adds a single frame to the stack (the wrapper's) and
 * traced recursion goes about as deep as untraced recursion. The context is switched with
 * `enterWith` and restored by hand, which is what `als.run` does internally.
 */
export function enterCall(init: SpanInit, inputs: unknown = init.inputs): CallFrame | undefined {
  const caller = callerOf(init);
  return caller === NOT_TRACED ? undefined : enterCallIn(caller, init, inputs);
}

/** What {@link callerOf} returns for a call that records nothing. */
export const NOT_TRACED: ContextFrame = Object.freeze({ span: undefined, dropped: true, scope: undefined });

/**
 * The context a call would be traced in, or NOT_TRACED when it would record nothing (see
 * startsNothing). A wrapper asks before it binds inputs, so a dropped call costs about a bare
 * call (a recursive walk past its budget makes thousands); it enters no context of its own, and
 * its callees, still under the dropped frame, drop as well, as they would under a dropped frame
 * of its own. `init` undefined: a span with no explicit parent.
 */
export function callerOf(init?: SpanInit): ContextFrame | undefined {
  if (init?.parent === undefined) {
    const caller = tracedContext();
    return caller === null ? NOT_TRACED : caller;
  }
  const state = runtimeState();
  if (!state.enabled || state.recording !== 0) return NOT_TRACED;
  const caller = state.als.getStore();
  return startsNothing(state, caller, init) ? NOT_TRACED : caller;
}

/** The runtime's state, made or found once (it never changes): for the calls below, made before every traced call. */
const stateOnce = runtimeState();

/**
 * {@link callerOf} for a span with no explicit parent, null when it records nothing: startsNothing
 * written out (change both), for compiled `// @trace` code, which calls it before every traced
 * function's body (a call past the span budget costs this and no more).
 */
export function tracedContext(): ContextFrame | undefined | null {
  if (!stateOnce.enabled || stateOnce.recording !== 0) return null;
  const caller = stateOnce.als.getStore();
  return caller !== undefined && (caller.dropped || caller.scope?.enabled === false) ? null : caller;
}

/** {@link enterCall} for a call whose context {@link callerOf} already returned (not NOT_TRACED). */
export function enterCallIn(caller: ContextFrame | undefined, init: SpanInit, inputs: unknown): CallFrame | undefined {
  const als = runtimeState().als;
  let span: LiveSpan;
  try {
    span = beginSpan(init, caller, inputs);
  } catch (error) {
    // Never into user code (near the stack limit even an id refill can fail): run untraced.
    reportQuietly('begin span', error);
    return undefined;
  }
  const frame: CallFrame = { span, dropped: span === NO_OP_SPAN, scope: caller?.scope, caller };
  try {
    als.enterWith(frame);
  } catch {
    // No stack left to switch the context: the call runs untraced, its span withdrawn.
    if (span === NO_OP_SPAN) return undefined;
    try {
      span.buffer!.withdrawSpan(span);
    } catch {
      leftovers[leftovers.length] = () => span.buffer!.withdrawSpan(span);
    }
    return undefined;
  }
  return frame;
}

/**
 * Ends a traced call that returned `result`, and returns exactly that: the same object, never
 * a wrapper. Plain values (iterators and thenables included: recorded as values, never
 * iterated or awaited) end the span now; a native promise keeps it open until it settles,
 * observed on the side (see promise-observer.ts). `fromAsyncFunction`: the function called was
 * an `async` function, so `result` is its own fresh promise.
 */
export function leaveCall<T>(call: CallFrame, result: T, fromAsyncFunction: boolean): T {
  try {
    runtimeState().als.enterWith(call.caller as ContextFrame);
    if (leftovers.length !== 0) runLeftovers();
    const span = call.span!;
    if (span !== NO_OP_SPAN && !observeOutcome(span, call, result, fromAsyncFunction)) endSpanWithValue(span, result);
    return result;
  } catch {
    // Only with no stack left: the program still gets its result, untouched, and the span is
    // ended by the first call that returns with stack to spare (its caller's, usually). Should
    // even restoreCaller overflow, the RangeError goes up to a caller whose failCall ends this
    // span (endAbandonedCalls). This block is inlined into every traced function with exit():
    // its shape sets their frame size (storing the thunk first cost 18% of traced recursion depth).
    restoreCaller(call);
    leftovers[leftovers.length] = () => settle(call.span!, call, result, false);
    return result;
  }
}

/** Ends a traced call that threw `error`; returns `error` for the caller to re-throw untouched. */
export function failCall(call: CallFrame, error: unknown): unknown {
  try {
    const als = runtimeState().als;
    if (isStackOverflow(error)) endAbandonedCalls(als.getStore(), call, error);
    als.enterWith(call.caller as ContextFrame);
    if (leftovers.length !== 0) runLeftovers();
    endSpanWithError(call.span!, error);
  } catch (failure) {
    leftovers[leftovers.length] = () => endSpanWithError(call.span!, error, true);
    try {
      // Out of stack, the context is left as it is: the error goes on up to the caller, whose
      // own failCall restores it and ends what is still open below (endAbandonedCalls).
      if (!isStackOverflow(failure)) afterFailure(call, failure);
    } catch {
      // As in leaveCall.
    }
  }
  return error;
}

/**
 * At a stack overflow, traced calls below `call` may have had no stack left even to call the
 * tracer on their way out (in compiled code, `fail(...)` itself overflows): the context still
 * names the deepest of them. Their spans end here with the overflow, so the trace is written
 * when its root ends rather than when the wait for open spans runs out. Nothing is done unless
 * the context is really below `call`.
 */
function endAbandonedCalls(current: ContextFrame | undefined, call: CallFrame, error: unknown): void {
  if (current === call || current === undefined) return;
  let below = 0;
  for (let f: ContextFrame | undefined = current; f !== call; f = f.caller) {
    if (f === undefined || ++below > MAX_ABANDONED) return;
  }
  for (let f = current; f !== call; f = f.caller!) {
    const span = f.span;
    if (span !== undefined && span !== NO_OP_SPAN && !span.isEnded) endSpanWithError(span, error);
  }
}
const MAX_ABANDONED = 10_000;

function restoreCaller(call: CallFrame): void {
  try {
    runtimeState().als.enterWith(call.caller as ContextFrame);
  } catch {
    // Still no stack: the context is put right by the caller's own leave.
  }
}

/**
 * After failCall failed to end `call`'s span (its end is queued) for a reason other than the
 * stack running out: reported now (the queued end is retried once, and dropped if it fails
 * again), and the caller's context restored.
 */
function afterFailure(call: CallFrame, failure: unknown): void {
  reportQuietly('end span', failure);
  runtimeState().als.enterWith(call.caller as ContextFrame);
}

/** The call made inside `run(call, …)`, for storages without enterWith (platform/run-scoped-context.ts). */
export function runInside<T>(call: CallFrame, fn: (...args: any[]) => T, self: unknown, args: ArrayLike<unknown>): T {
  return runtimeState().als.run(call, () => reflectApply(fn, self, args));
}

/**
 * Calls `fn` with `self` and `args` (or, with `passSpan`, the span itself: withSpan) as a traced
 * call. Wrappers on the hot path inline these three steps instead, to save the stack frame.
 */
export function traceCall<T>(init: SpanInit, fn: (...args: any[]) => T, self: unknown, args: ArrayLike<unknown> | undefined, passSpan = false): T {
  const call = enterCall(init);
  if (call === undefined) return reflectApply(fn, self, passSpan ? [NO_OP_SPAN] : args ?? NO_ARGS);
  let result: T;
  try {
    const callArgs = passSpan ? [call.span] : args ?? NO_ARGS;
    result = callsRunInside ? runInside(call, fn, self, callArgs) : reflectApply(fn, self, callArgs);
  } catch (error) {
    throw failCall(call, error);
  }
  return leaveCall(call, result, isAsyncFunction(fn));
}

/**
 * Records a call's result on its span and returns the result itself. A native promise (or a
 * thenable whose outcome an integration declared, known-outcomes.ts) keeps the span open until
 * it settles; `fresh`: it is the promise of the async function called in
 * `frame`, so an unhandled rejection of it can stay unhandled (see promise-observer.ts).
 */
export function settle<T>(span: LiveSpan, frame: ContextFrame, result: T, fresh = false): T {
  if (span === NO_OP_SPAN) return result;
  if (!observeOutcome(span, frame, result, fresh)) endWithValue(span, result);
  return result;
}

/** A native promise or a thenable of known outcome: observed, ending the span when it settles. */
function observeOutcome(span: LiveSpan, frame: ContextFrame, result: unknown, fresh: boolean): boolean {
  // Most calls return a primitive: no need to ask the engine whether it is a promise.
  if (typeof result !== 'object' || result === null) return false;
  const native = isNativePromise(result);
  if (native && !fresh) {
    // A plain function's promise, of unknown history: observed only once the program consumes it.
    // The clock's reading (a number): the ns BigInt is made only if the span ends this way.
    const returnedAt = nowMono();
    observeWhenConsumed(
      result as Promise<unknown>,
      (value) => endWithValue(span, value),
      (error) => endWithError(span, error),
      () => endUnobserved(span, result, returnedAt),
    );
    return true;
  }
  const outcome = native ? result : knownOutcome(result);
  if (!outcome) return false;
  observePromise(
    outcome,
    native && fresh ? frame : undefined,
    (value) => endWithValue(span, value),
    (error) => endWithError(span, error),
  );
  return true;
}

/** Not consumed by the program in time: the span records the promise itself, ended when the call returned. */
function endUnobserved(span: LiveSpan, promise: unknown, returnedAt: number): void {
  try {
    if (span.encodedAttributes[SpanAttributeKey.OUTPUTS] === undefined) span.setOutputs(promise);
    span.end({ endTimeNs: monoToNs(returnedAt) });
  } catch (error) {
    reportInternalError('end span', error);
  }
}

function endWithValue(span: LiveSpan, value: unknown): void {
  try {
    endSpanWithValue(span, value);
  } catch (error) {
    reportInternalError('end span', error);
  }
}

function endWithError(span: LiveSpan, error: unknown): void {
  try {
    endSpanWithError(span, error);
  } catch (failure) {
    reportInternalError('end span', failure);
  }
}

// The throwing forms, for calls that end a span later when ending it now fails (no stack left).
function endSpanWithValue(span: LiveSpan, value: unknown): void {
  // Outputs the code set explicitly (span.setOutputs) win over the return value.
  // setOutputs then end(): what end({ outputs }) does, without an options object per call.
  if (span.encodedAttributes[SpanAttributeKey.OUTPUTS] === undefined && value !== undefined) span.setOutputs(value);
  span.end();
}

export function endSpanWithError(span: LiveSpan, error: unknown, retry = false): void {
  // A retry after a failed end keeps the exception event the first attempt may have recorded.
  if (!retry || span.status.statusCode !== SpanStatusCode.ERROR || !span.events.some((e) => e.name === EXCEPTION_EVENT)) span.recordException(error);
  span.end();
}
