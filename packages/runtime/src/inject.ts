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
import { FinalizationRegistryCtor, isAsyncFunction, jsonStringify, objectKeys } from './core/intrinsics.js';
import { NamedArguments, type PlainParamNames } from './core/params.js';
import { consumeHeld } from './core/promise-observer.js';
import { endWithItems, logItem, loggedItemsText, type ItemLog } from './core/iterators.js';
import { runtimeState, type ContextFrame } from './core/state.js';
import { beginSpan, callerOf, enterCallIn, failCall, frameFor, leaveCall, NOT_TRACED, sharedSpanInit, traceInvocation, tracedContext, type CallFrame, type SpanInit } from './core/tracer.js';
import type { SpanType, UnfinishedReason } from './model/constants.js';

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

function spanInit(name: string, raw: Options): SpanInit {
  const opts = options(name, raw);
  return { name: opts.name ?? name, spanType: opts.spanType, attributes: opts.attributes, functionName: name };
}

interface Site {
  readonly init: SpanInit;
  /** The keys of the inputs literal its calls pass, last seen (see namedInputs); null: a site made for one call. */
  names: PlainParamNames | undefined | null;
}

/**
 * One init per traced function whose options are none or a span type (the same on every call),
 * shared by its calls: only the inputs differ, passed beside it. Options given as an object
 * literal are a fresh object per call, read each time.
 */
const sharedInits = new Map<string, Map<string | undefined, Site>>();
/** The most common case (`// @trace` with no options) found with one lookup on every call. */
const plainInits = new Map<string, Site>();
function siteFor(name: string, raw: Options): Site {
  if (raw === undefined) {
    const plain = plainInits.get(name);
    if (plain !== undefined) return plain;
  } else if (typeof raw !== 'string') {
    return { init: spanInit(name, raw), names: null };
  }
  let byOptions = sharedInits.get(name);
  if (byOptions === undefined) {
    byOptions = new Map();
    if (sharedInits.size < 10_000) sharedInits.set(name, byOptions);
  }
  let site = byOptions.get(raw);
  if (site === undefined) {
    site = { init: sharedSpanInit(spanInit(name, raw)), names: undefined };
    if (byOptions.size < 100) byOptions.set(raw, site);
    if (raw === undefined && plainInits.size < 10_000) plainInits.set(name, site);
  }
  return site;
}

function initFor(name: string, raw: Options): SpanInit {
  return siteFor(name, raw).init;
}

/**
 * The inputs literal the compiled code passes (made for the call, never seen by the program),
 * recorded by name as a wrapper's arguments are: a site passes the same keys on every call, so
 * their JSON key texts are made once. Checked on every call: functions of the same name share
 * a site.
 */
function namedInputs(site: Site, inputs: Record<string, unknown>): unknown {
  let names = site.names;
  if (names === null) return inputs;
  if (names === undefined || !hasKeys(inputs, names)) {
    const keys = objectKeys(inputs);
    names = site.names = Object.assign(keys, { keyTexts: keys.map((key) => `${jsonStringify(key)}:`) });
  }
  return new NamedArguments(names, undefined, inputs);
}

/**
 * The literal's keys are `names`, in order. Read with for-in, which allocates nothing (a keys
 * array per call did); an enumerable key someone added to Object.prototype reads as a mismatch,
 * and the names are then made again from the literal's own keys.
 */
function hasKeys(inputs: Record<string, unknown>, names: readonly string[]): boolean {
  let i = 0;
  for (const key in inputs) if (names[i++] !== key) return false;
  return i === names.length;
}

/**
 * The body of a traced function (sync or async): `body` is an arrow over the original body,
 * so `this`, `arguments`, `super` and `new.target` are the function's own.
 */
export function fn<T>(name: string, raw: Options, inputs: Record<string, unknown>, body: () => T): T {
  // The body is called from this frame (see enterCall in core/tracer.ts): one frame per call.
  const call = enter(name, raw, inputs);
  if (call === undefined) return body();
  let result: T;
  try {
    result = body();
  } catch (error) {
    throw failCall(call, error);
  }
  return leaveCall(call, result, isAsyncFunction(body));
}

/**
 * A traced sync or async function compiled inline (no body closure, no runtime frame while the
 * body runs, so traced recursion goes about as deep as untraced, and no added microtask turn):
 * `let c = context(); c = c === null ? undefined : enterIn(c, ...); try { ...return exit(c, value)... } catch (e) { throw fail(c, e); } exit(c, undefined);`,
 * and in an async body `back(await leave(x, c), c)` around each of its awaits. A call that is
 * not traced (tracing off, past the span budget, sampled out) stops at `context()`: its options
 * and inputs literal are not even evaluated. With `c` undefined, exit/fail/leave/back pass
 * their value through.
 *
 * Returns the context a call made now would be traced in (undefined: none, a new trace), or
 * null when it records nothing. A compiled site's span never names a parent: it nests under
 * the context.
 */
export const context: () => ContextFrame | undefined | null = tracedContext;

/** Begins the call {@link context} found traced under `caller` (right before: nothing ran in between but the arguments). */
export function enterIn(caller: ContextFrame | undefined, name: string, raw: Options, inputs: Record<string, unknown>): CallFrame | undefined {
  const site = siteFor(name, raw);
  return enterCallIn(caller, site.init, namedInputs(site, inputs));
}

/** `context()` and `enterIn()` in one call: what code compiled by earlier transformer releases calls. */
export function enter(name: string, raw: Options, inputs: Record<string, unknown>): CallFrame | undefined {
  const caller = callerOf();
  return caller === NOT_TRACED ? undefined : enterIn(caller, name, raw, inputs);
}

/**
 * A traced inline function returns `value` (returned as is: same identity, promises observed,
 * never chained). In an async function that is what its promise adopts: a native promise ends
 * the span when it settles; any other thenable is recorded as a value (the function's own
 * promise, which adopts it, is never touched, so its outcome is not seen).
 */
export function exit<T>(call: CallFrame | undefined, value: T): T {
  return call === undefined ? value : leaveCall(call, value, false);
}

/**
 * A traced inline function throws `error`: records it and returns it for the compiled code to
 * re-throw. `held` (async functions): the operand of the body's latest `await`/`return`, which
 * the program may never have taken if the runtime call after it is what failed (see
 * {@link consumeHeld}); taking it again when it was taken changes nothing the program sees.
 */
export function fail(call: CallFrame | undefined, error: unknown, held?: unknown): unknown {
  const thrown = call === undefined ? error : failCall(call, error);
  // Throws only with no stack left: the compiled catch then awaits `held` itself.
  if (held !== undefined) consumeHeld(held);
  return thrown;
}

/** The body of a traced generator: `iterator` is the original body's generator object. */
export function gen<T>(name: string, raw: Options, inputs: Record<string, unknown>, iterator: T): T {
  return traceInvocation(() => ({ ...initFor(name, raw), inputs }), () => iterator, { generator: true });
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
    const span = beginSpan(initFor(name, raw), parentFrame, inputs);
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

/**
 * What a suspension in compiled code leaves and re-enters: a loop iteration, or the call of an
 * async function traced inline (its {@link enter} result; undefined when not traced).
 */
type Suspended = IterationScope | CallFrame | undefined;

function isCall(scope: Suspended): scope is CallFrame {
  return scope !== undefined && scope !== NO_ITERATION && !(scope instanceof Iteration);
}

/**
 * Before an `await`/`yield` in a traced loop body or an inline-traced async function: give the
 * caller back its own context (for a call, the one it was entered from; the function's later
 * turns are resumed in that same context, see {@link back}).
 */
export function leave<T>(value: T, scope: Suspended): T {
  if (isCall(scope)) {
    restore(scope.caller);
    return value;
  }
  if (!(scope instanceof Iteration) || !scope.active) return value;
  const top = root(scope);
  for (let s: Iteration | undefined = scope; s; s = s === top ? undefined : s.parent) s.active = false;
  restore(top.saved);
  return value;
}

/**
 * A generator (sync or async) traced inline: its body runs in the generator's own frame, so
 * `next()` takes the turns and frames it takes untraced. The compiled body is
 * `const c = genEnter(...); let r; try { BODY } catch (e) { r = c; throw genFail(c, e); } finally { if (r !== c) genEnd(c); }`,
 * with `gback(yield yielded(x, c), c)` around each `yield x` of the generator itself,
 * `gback(yield* gleave(x, c), c)` and `gback(await gleave(x, c), c)` around `yield*` and `await`.
 * The span starts on the first `next()` (when the body starts), records the yielded items
 * (bounded, as for wrapped generators) and ends when the body completes, throws, or is closed.
 *
 * Unlike a call, the generator is resumed by whoever calls `next()`: each resumption remembers
 * that context (`resumer`) and each suspension restores it. The generator object is never seen
 * here, so the one rule for unfinished iteration is tied to the call frame, which only the
 * suspended generator references: when the program drops the generator, the frame is
 * collected and the span ends as `abandoned` (timeout and exit through the span's own hook).
 */
interface InlineGenerator extends ItemLog {
  readonly span: LiveSpan;
  readonly recording: boolean;
  done: boolean;
  resumer: ContextFrame | undefined;
}

const generators = new WeakMap<CallFrame, InlineGenerator>();
const abandonedGenerators = FinalizationRegistryCtor ? new FinalizationRegistryCtor<InlineGenerator>((g) => endUnfinishedGenerator(g, 'abandoned')) : undefined;

/** Marks the generator's span as being ended (once: false if it already was). */
function settleGenerator(g: InlineGenerator): boolean {
  if (g.done) return false;
  g.done = true;
  abandonedGenerators?.unregister(g);
  g.span.onUnfinished = undefined;
  return true;
}

function endUnfinishedGenerator(g: InlineGenerator, reason: UnfinishedReason): void {
  if (!settleGenerator(g)) return;
  g.span.markUnfinished(reason);
  endWithItems(g.span, g);
}

/** The body of an inline-traced generator starts (first `next()`): the span starts, the resumer's context is remembered. */
export function genEnter(name: string, raw: Options, inputs: Record<string, unknown>): CallFrame | undefined {
  const call = enter(name, raw, inputs);
  if (call === undefined) return undefined;
  try {
    const g: InlineGenerator = { span: call.span!, recording: !call.dropped, items: [], dropped: 0, chars: 0, done: false, resumer: call.caller };
    generators.set(call, g);
    if (g.recording) {
      g.span.onUnfinished = (reason) => endUnfinishedGenerator(g, reason);
      abandonedGenerators?.register(call, g, g);
    }
  } catch (error) {
    reportInternalError('// @trace generator', error);
  }
  return call;
}

/** Before a `yield x` of the generator itself: records x as an item and gives the resumer its context back. */
export function yielded<T>(value: T, call: CallFrame | undefined): T {
  if (call === undefined) return value;
  const g = generators.get(call);
  if (g === undefined) return leave(value, call);
  if (g.recording && !g.done) logItem(g, value, g.span);
  restore(g.resumer);
  return value;
}

/** Before an `await` or `yield*` of the generator: gives the resumer its context back. */
export function gleave<T>(value: T, call: CallFrame | undefined): T {
  if (call === undefined) return value;
  const g = generators.get(call);
  if (g === undefined) return leave(value, call);
  restore(g.resumer);
  return value;
}

/** After the generator resumes: remembers who resumed it, re-enters the span's context. */
export function gback<T>(value: T, call: CallFrame | undefined): T {
  if (call === undefined) return value;
  const g = generators.get(call);
  // Reached without a suspension (a finally entered normally): the context is the span's already.
  const current = currentFrame();
  if (g !== undefined && current !== call) g.resumer = current;
  runtimeState().als.enterWith(call);
  return value;
}

/**
 * The context after the generator's span ends: the resumer's when the body ran in the span
 * (it completed or threw from inside), else the current one (closed with `return()`/`throw()`
 * at a suspension with no re-entry before the end: the context is already the resumer's).
 */
function afterGenerator(call: CallFrame, g: InlineGenerator | undefined): ContextFrame | undefined {
  const current = currentFrame();
  return current === call ? g?.resumer : current;
}

/** The body completed or was closed: ends the span with the items seen. */
export function genEnd(call: CallFrame | undefined): void {
  if (call === undefined) return;
  const g = generators.get(call);
  const next = afterGenerator(call, g);
  if (g === undefined) leaveCall(call, undefined, false);
  else if (settleGenerator(g)) {
    if (g.recording) g.span.setEncodedOutputs(loggedItemsText(g));
    leaveCall(call, undefined, false);
  }
  restore(next);
}

/** The body threw `error`: records it; returns it for the compiled code to re-throw. */
export function genFail(call: CallFrame | undefined, error: unknown): unknown {
  if (call === undefined) return error;
  const g = generators.get(call);
  const next = afterGenerator(call, g);
  if (g === undefined || settleGenerator(g)) failCall(call, error);
  restore(next);
  return error;
}

/** Symbol.dispose, or the registered symbol transpilers' helpers fall back to where it is missing. */
const DISPOSE: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('Symbol.dispose');

/**
 * `using __tw$gN = disposing(c)`, declared after the last `await using` of a block of an
 * inline-traced async function: disposed first, it gives the caller its context back before the
 * disposals' implicit awaits (the first can be the suspension that returns to the caller). The
 * compiled code re-enters the call after the block. Undefined when the call is not traced.
 */
export function disposing(call: CallFrame | undefined): Disposable | undefined {
  if (call === undefined) return undefined;
  return { [DISPOSE]: () => void gleave(undefined, call) } as unknown as Disposable;
}

/** After the `await`/`yield` resumes: re-enter the iteration (remembering the resumer's context) or the call. */
export function back<T>(value: T, scope: Suspended): T {
  if (isCall(scope)) {
    runtimeState().als.enterWith(scope);
    return value;
  }
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
