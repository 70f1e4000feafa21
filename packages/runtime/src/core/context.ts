/**
 * Context propagation: the active span travels with AsyncLocalStorage across await,
 * Promise.all fan-out, timers and event-emitter callbacks invoked inside a span. For work
 * that is queued and run later from somewhere else, capture the context and re-enter it.
 */
import type { LiveSpan } from './live-span.js';
import { runtimeState, type ContextFrame } from './state.js';

export function currentFrame(): ContextFrame | undefined {
  return runtimeState().als.getStore();
}

export function runInFrame<T>(frame: ContextFrame | undefined, fn: () => T): T {
  const als = runtimeState().als;
  return frame ? als.run(frame, fn) : als.exit(fn);
}

/** The span that new spans would nest under here, or undefined outside any span. */
/** The active span; null outside any span (as MLflow's SDK returns). */
export function getCurrentActiveSpan(): LiveSpan | null {
  const frame = runtimeState().als.getStore();
  return (frame && !frame.dropped ? frame.span : undefined) ?? null;
}

/** The id of the trace the active span belongs to. */
export function getActiveTraceId(): string | undefined {
  return getCurrentActiveSpan()?.traceId ?? undefined;
}

/** An opaque snapshot of the current tracing context. */
export interface TraceContextSnapshot {
  readonly frame: ContextFrame | undefined;
}

/**
 * Snapshot the current context, to hand to a queue, a callback registry or a pool: work
 * started later with {@link runWithContext} nests under the span that was active here.
 */
export function captureContext(): TraceContextSnapshot {
  return { frame: currentFrame() };
}

export function runWithContext<T>(snapshot: TraceContextSnapshot, fn: () => T): T {
  return runInFrame(snapshot.frame, fn);
}

/** Returns `fn` bound to the current context (like AsyncResource.bind / OTel context.bind). */
export function bindContext<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const frame = currentFrame();
  return function (this: unknown, ...args: A): R {
    return runInFrame(frame, () => fn.apply(this, args));
  };
}

/** Runs `fn` with `span` (e.g. from startSpan) as the active span. */
export function withActiveSpan<T>(span: LiveSpan, fn: () => T): T {
  const parent = currentFrame();
  return runInFrame({ span, dropped: !span.buffer, scope: parent?.scope, caller: parent }, fn);
}
