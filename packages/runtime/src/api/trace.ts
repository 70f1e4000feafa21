import { bindArguments, paramsOf, parseParamStrings, plainParamNames, type ParamSpec, type PlainParamNames } from '../core/params.js';
import { isAsyncFunction, reflectConstruct } from '../core/intrinsics.js';
import { runtimeState } from '../core/state.js';
import { callerOf, endSpanWithError, enterCallIn, type CallFrame, failCall, leaveCall, NOT_TRACED, runInside, settle, sharedSpanInit, traceInvocation, type SpanInit } from '../core/tracer.js';
import { leftovers } from '../core/stack-limit.js';
import { callsRunInside } from '../platform/async-context.js';
import { normalizeTraceOptions, validateBuildInfo, type BuildInfo, type TraceOptions } from './options.js';
import { DEFAULT_SPAN_NAME, type SpanType } from '../model/constants.js';
// decorator.ts wraps through this module and trace() returns its decorator: each uses the
// other only when called, so the import cycle is harmless in ESM and CJS.
import { Trace } from './decorator.js';
import { processWide } from '../core/process-wide.js';

/**
 * The wrappers made by trace() / @Trace, for isTraced(): a set, not a mark on the wrapper (an own
 * property the original has not). One per process, shared by every runtime copy loaded.
 */
const TRACED_KEY = Symbol.for('tracewright.traced.v1');
const tracedWrappers = processWide(TRACED_KEY, () => new WeakSet<Function>());

// How the wrapper copies its arguments. `arguments` is only ever forwarded with apply there: read
// in any other way (by index, its length, passed to a function), V8 may create the object on
// every call, also when tracing is disabled. Forwarded to a rest parameter, it is copied in about
// a nanosecond (a loop over it costs 5 ns, Array.of 95).
const argsOf = (...args: unknown[]): unknown[] => args;

function isConstructor(fn: Function): boolean {
  try {
    // Constructs nothing of fn's: only asks whether fn could be a new.target.
    reflectConstruct(String, [], fn);
    return true;
  } catch {
    return false;
  }
}

/**
 * fn's own properties as they are when it is wrapped (a debounced function's `cancel()`, the
 * `lazy` marker a pipe looks for, a constructor's statics and `prototype`), on the wrapper:
 * the wrapper stands in for fn everywhere the program passes it.
 */
function copyOwnProperties(fn: Function, wrapped: Function): void {
  let keys: (string | symbol)[];
  try {
    keys = Reflect.ownKeys(fn);
  } catch {
    return; // fn a Proxy whose ownKeys trap throws: the wrapper has none of them
  }
  for (const key of keys) {
    if (key === 'length' || key === 'name' || key === 'arguments' || key === 'caller') continue;
    try {
      Object.defineProperty(wrapped, key, Object.getOwnPropertyDescriptor(fn, key)!);
    } catch {
      // A property the wrapper cannot take (fn a Proxy whose traps refuse): left out.
    }
  }
}

function isGeneratorFunction(fn: Function): boolean {
  const ctor = Object.getPrototypeOf(fn)?.constructor?.name;
  return ctor === 'GeneratorFunction' || ctor === 'AsyncGeneratorFunction';
}

/**
 * Wraps `fn` so every call is a span: inputs are the arguments keyed by parameter name,
 * the output is the return value (awaited for promises, collected for generators/streams),
 * and an exception is recorded and re-thrown unchanged. Same type, name and length as `fn`.
 *
 * Without a function, `trace(options?)` is the method decorator (`@trace()`,
 * `@trace({ name, spanType })`), as in MLflow's SDK: the same as `@Trace(options)`.
 */
export function trace<F extends (...args: any[]) => any>(fn: F, options?: TraceOptions | SpanType, build?: BuildInfo): F;
export function trace(options?: TraceOptions | SpanType, build?: BuildInfo): (target: any, context?: any, descriptor?: PropertyDescriptor) => any;
export function trace(fnOrOptions?: unknown, options?: unknown, build?: unknown): unknown {
  if (typeof fnOrOptions !== 'function') {
    const isOptions = fnOrOptions === undefined || typeof fnOrOptions === 'string' || (typeof fnOrOptions === 'object' && fnOrOptions !== null && !Array.isArray(fnOrOptions));
    if (isOptions) return Trace(fnOrOptions as TraceOptions | SpanType | undefined, options as BuildInfo | undefined);
    throw new TypeError(
      `trace(fn, options): expected a function as the first argument (or options, to use trace as a decorator), got ${fnOrOptions === null ? 'null' : Array.isArray(fnOrOptions) ? 'an array' : typeof fnOrOptions}`,
    );
  }
  const opts = normalizeTraceOptions('trace(fn, options)', options as TraceOptions | SpanType | undefined);
  const info = validateBuildInfo('trace(fn, options, build)', build as BuildInfo | undefined);
  return wrapTraced(fnOrOptions as (...args: any[]) => any, opts, info);
}

/** @internal shared by trace() and @Trace. */
export function wrapTraced<F extends (...args: any[]) => any>(fn: F, opts: TraceOptions, build: BuildInfo | undefined, defaultName?: string): F {
  const state = runtimeState();
  const name = opts.name ?? defaultName ?? (fn.name || DEFAULT_SPAN_NAME);
  const functionName = defaultName ?? fn.name;
  const generator = isGeneratorFunction(fn) ? { generator: true } : undefined;
  const async = !generator && isAsyncFunction(fn);
  let specs: ParamSpec[] | null | undefined;
  let plainNames: PlainParamNames | undefined;
  const paramSpecs = () => {
    if (specs === undefined) {
      specs = build?.params ? parseParamStrings(build.params, fn) : paramsOf(fn);
      plainNames = plainParamNames(specs);
    }
    return specs;
  };

  // The same for every call: only the inputs differ (passed beside it).
  const init = sharedSpanInit({ name, spanType: opts.spanType, attributes: opts.attributes, functionName });
  const inputsOf = (args: ArrayLike<unknown>) => bindArguments(paramSpecs(), args, plainNames);
  const initFor = (args: ArrayLike<unknown>): SpanInit => ({ ...init, inputs: inputsOf(args) });
  const invokeGenerator = (self: unknown, args: unknown[]): unknown =>
    // A generator's span starts at its first next(): its inputs are bound then, lazily.
    traceInvocation(() => initFor(args), () => fn.apply(self, args), generator);
  const constructable = isConstructor(fn);
  // `new` on the wrapper is `new` on fn (its instances; a subclass's new.target passed on), a traced call.
  const construct = (args: unknown[], newTarget: Function): unknown => {
    if (!constructable) throw new TypeError(`${fn.name || 'anonymous'} is not a constructor`);
    return traceInvocation(() => initFor(args), () => reflectConstruct(fn, args, newTarget === wrapped ? fn : newTarget));
  };
  const wrapped = function (this: unknown): unknown {
    if (new.target !== undefined) return construct(argsOf.apply(undefined, arguments as unknown as unknown[]), new.target);
    let call: CallFrame | undefined;
    let args: unknown[] | undefined;
    if (state.enabled) {
      if (generator) return invokeGenerator(this, argsOf.apply(undefined, arguments as unknown as unknown[]));
      // A call that records nothing (a subtree past the span budget, or sampled out) binds no
      // inputs and enters no context (see callerOf).
      const caller = callerOf(init);
      if (caller !== NOT_TRACED) {
        args = argsOf.apply(undefined, arguments as unknown as unknown[]);
        call = enterCallIn(caller, init, inputsOf(args));
      }
    }
    // Traced or not, fn is called at this one site (and from this frame, see enterCall: traced
    // recursion goes about as deep as untraced recursion). V8 inlines a callee only at a site
    // that ran often enough relative to the wrapper: with a separate untraced site, a wrapper
    // that traced for a while and was then disabled kept calling fn out of line.
    let result: unknown;
    try {
      result = call !== undefined && callsRunInside ? runInside(call, fn, this, args!) : fn.apply(this, arguments as unknown as unknown[]);
    } catch (error) {
      if (call === undefined) throw error;
      try {
        failCall(call, error);
      } catch {
        // No stack left to record it (see below): the program still gets its own error.
        leftovers[leftovers.length] = () => endSpanWithError(call.span!, error, true);
      }
      throw error;
    }
    if (call === undefined) return result;
    try {
      return leaveCall(call, result, async);
    } catch {
      // The call returned at the stack limit with no stack left even to call leaveCall: return
      // what the function returned, as untraced (a rejected promise dropped here would become an
      // unhandled rejection). A store needs no stack: its span is ended at the next traced
      // return (core/stack-limit.ts).
      leftovers[leftovers.length] = () => settle(call.span!, call, result, false);
      return result;
    }
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name, configurable: true });
  Object.defineProperty(wrapped, 'length', { value: fn.length, configurable: true });
  copyOwnProperties(fn, wrapped);
  // Code that reads a function's parameters from its source (awilix's classic injection mode,
  // AngularJS-style DI) must see the original's, not the wrapper's empty list.
  if (!Object.hasOwn(fn, 'toString')) Object.defineProperty(wrapped, 'toString', { value: () => fn.toString(), writable: true, configurable: true });
  // An async function's wrapper is an AsyncFunction to `instanceof`, `constructor` and
  // Object.prototype.toString; a subclass's sees its parent's statics.
  try {
    const proto = Object.getPrototypeOf(fn);
    if (proto !== Object.getPrototypeOf(wrapped)) Object.setPrototypeOf(wrapped, proto);
  } catch {
    // fn a Proxy whose getPrototypeOf trap refuses: the wrapper stays a plain function.
  }
  tracedWrappers.add(wrapped);
  return wrapped as unknown as F;
}

/** True for functions returned by trace() / @Trace. */
export function isTraced(fn: unknown): boolean {
  return typeof fn === 'function' && tracedWrappers.has(fn);
}
