/**
 * `@tracewright/runtime/inject`: the small, stable surface that code rewritten by
 * `@tracewright/transformer` imports (as `__tw$`). Every helper goes through core/tracer.ts,
 * so a `// @trace` span is the same span `trace()` / `@Trace` would produce. Nothing here
 * throws into user code: bad directive options are reported and the defaults are used.
 *
 * The shape of every call is fixed by the transformer's templates (packages/transformer/src/
 * core/templates.ts); changing a signature here is a breaking change for compiled code.
 */
// Compiled code imports only this entry, so it must configure where traces go exactly as the
// package entry does: the config module installs the default (tracking-URI / ./mlruns)
// destination factory on import. Evaluated before the importing module's body, so traces that
// finish during top-level evaluation are kept too. Listed in package.json `sideEffects`.
import './config/index.js';
import { normalizeTraceOptions, type TraceOptions } from './api/options.js';
import { currentFrame } from './core/context.js';
import { reportInternalError } from './core/diagnostics.js';
import type { LiveSpan } from './core/live-span.js';
import { isAsyncFunction } from './core/intrinsics.js';
import { runtimeState, type ContextFrame } from './core/state.js';
import { beginSpan, enterCall, failCall, frameFor, leaveCall, traceInvocation, type SpanInit } from './core/tracer.js';
import type { SpanType } from './model/constants.js';

/** Surface version: compiled code and runtime must agree on the call shapes below. */
export const version = 1;

type Options = TraceOptions | SpanType | undefined;

const NO_OPTIONS: TraceOptions = {};
/** `// @trace` and `// @trace(TOOL)` evaluate to the same value on every call: normalize once. */
const spanTypeOptions = new Map<string, TraceOptions>();

function options(site: string, raw: Options): TraceOptions {
  if (raw === undefined) return NO_OPTIONS;
  if (typeof raw === 'string') {
    const cached = spanTypeOptions.get(raw);
    if (cached) return cached;
  }
  try {
    const normalized = normalizeTraceOptions(site, raw);
    if (typeof raw === 'string' && spanTypeOptions.size < 1_000) spanTypeOptions.set(raw, normalized);
    return normalized;
  } catch (error) {
    reportInternalError(`// @trace options (${site})`, error);
    return {};
  }
}

function spanInit(name: string, raw: Options, inputs: Record<string, unknown>): SpanInit {
  const opts = options(name, raw);
  return { name: opts.name ?? name, spanType: opts.spanType, attributes: opts.attributes, functionName: name, inputs };
}

/**
 * The body of a traced function (sync or async): `body` is an arrow over the original body,
 * so `this`, `arguments`, `super` and `new.target` are the function's own.
 */
export function fn<T>(name: string, raw: Options, inputs: Record<string, unknown>, body: () => T): T {
  if (!runtimeState().enabled) return body(); // disabled: about the cost of the bare call
  // The body is called from this frame (see enterCall in core/tracer.ts): one frame per call.
  const call = enterCall(spanInit(name, raw, inputs));
  if (call === undefined) return body();
  let result: T;
  try {
    result = body();
  } catch (error) {
    throw failCall(call, error);
  }
  return leaveCall(call, result, isAsyncFunction(body));
}

/** The body of a traced generator: `iterator` is the original body's generator object. */
export function gen<T>(name: string, raw: Options, inputs: Record<string, unknown>, iterator: T): T {
  return traceInvocation(() => spanInit(name, raw, inputs), () => iterator, { generator: true });
}

/**
 * One iteration of a traced loop. The loop body runs inside `try { } finally { scope.end() }`
 * (so break/continue/return/throw keep their native meaning); the iteration's span is made
 * current with `enterWith` and the previous context is restored when the iteration ends.
 * Around each `await`/`yield` in the body the compiled code calls {@link leave} and
 * {@link back}, so the suspended function never leaks the iteration context to its caller.
 */
export interface IterationScope {
  /** Records the exception that is leaving the iteration (the compiled code re-throws it). */
  fail(error: unknown): void;
  /** Ends the iteration span and restores the context (once; later calls do nothing). */
  end(): void;
}

class Iteration implements IterationScope {
  /** Context to restore when this (outermost active) scope is left. */
  saved: ContextFrame | undefined;
  active = true;
  private open = true;
  constructor(
    private readonly span: LiveSpan,
    readonly frame: ContextFrame,
    readonly parent: Iteration | undefined,
  ) {
    this.saved = currentFrame();
    runtimeState().als.enterWith(frame);
  }
  fail(error: unknown): void {
    this.span.recordException(error);
  }
  end(): void {
    if (!this.open) return;
    this.open = false;
    if (this.active) {
      this.active = false;
      restore(this.saved);
    }
    this.span.end();
  }
}

const NO_ITERATION: IterationScope = { fail() {}, end() {} };

function restore(frame: ContextFrame | undefined): void {
  // enterWith(undefined) would be typed away; the ALS treats an undefined store as "no context".
  runtimeState().als.enterWith(frame as ContextFrame);
}

/** Starts one iteration span under the current context (or under `parent`'s iteration). */
export function iter(name: string, raw: Options, inputs: Record<string, unknown>, parent?: IterationScope): IterationScope {
  const state = runtimeState();
  if (!state.enabled) return NO_ITERATION;
  try {
    const parentFrame = currentFrame();
    if (parentFrame?.scope?.enabled === false) return NO_ITERATION;
    const span = beginSpan(spanInit(name, raw, inputs), parentFrame);
    return new Iteration(span, frameFor(span, parentFrame), parent instanceof Iteration ? parent : undefined);
  } catch (error) {
    reportInternalError('// @trace loop iteration', error);
    return NO_ITERATION;
  }
}

function root(scope: Iteration): Iteration {
  let s = scope;
  while (s.parent?.active) s = s.parent;
  return s;
}

/** Before an `await`/`yield` in a traced loop body: give the caller back its own context. */
export function leave<T>(value: T, scope: IterationScope): T {
  if (!(scope instanceof Iteration) || !scope.active) return value;
  const top = root(scope);
  for (let s: Iteration | undefined = scope; s; s = s === top ? undefined : s.parent) s.active = false;
  restore(top.saved);
  return value;
}

/** After the `await`/`yield` resumes: re-enter the iteration, remembering the resumer's context. */
export function back<T>(value: T, scope: IterationScope): T {
  if (!(scope instanceof Iteration) || scope.active) return value;
  let top = scope;
  for (let s: Iteration | undefined = scope; s && !s.active; s = s.parent) {
    s.active = true;
    top = s;
  }
  top.saved = currentFrame();
  runtimeState().als.enterWith(scope.frame);
  return value;
}
