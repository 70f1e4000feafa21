import type { SpanType } from '../model/constants.js';
import { TraceEntity, type Trace as TraceRecord } from '../model/trace.js';
import { normalizeTraceOptions, validateBuildInfo, type BuildInfo, type TraceOptions } from './options.js';
import { carryFunctionMetadata } from './function-metadata.js';
import { wrapTraced } from './trace.js';

type AnyFn = (...args: any[]) => any;

interface StandardContext {
  kind: 'method' | 'getter' | 'setter' | 'field' | 'accessor' | 'class';
  name: string | symbol;
}

function isStandardContext(value: unknown): value is StandardContext {
  return typeof value === 'object' && value !== null && 'kind' in value && 'name' in value;
}

/** The traced replacement of `method`, carrying what other decorators stored on it. */
function traced(method: AnyFn, opts: TraceOptions, info: BuildInfo | undefined, name: string): AnyFn {
  const wrapper = wrapTraced(method, opts, info, name);
  carryFunctionMetadata(method, wrapper);
  return wrapper;
}

function keyName(key: string | symbol): string {
  return typeof key === 'symbol' ? (key.description ? `[${key.description}]` : '[symbol]') : key;
}

/**
 * `Trace` is both the decorator (a value) and the trace data type: the interface merges with
 * the function so `import { Trace }` serves `@Trace()` and `const t: Trace` alike. As in
 * MLflow's SDK, `Trace.fromJson(json)` reads a trace back (readers return the same entity).
 */
export interface Trace extends TraceRecord {}

/**
 * Method decorator: `@Trace()`, `@Trace(SpanType.RETRIEVER)`, `@Trace({ name, spanType, attributes })`.
 * Works with TC39 standard decorators and with `experimentalDecorators`. Static, instance and
 * `#private` methods are traced; getters, setters and accessors are left alone. A class field
 * holding a function (`handler = () => ...`) is traced too under standard decorators.
 * Decorator order does not matter: metadata that decorators applied before `@Trace` stored on
 * the method (NestJS routes, guards, `SetMetadata`) is carried onto the traced method, see
 * function-metadata.ts.
 *
 * The second argument is filled in by the tracewright transformer (parameter binding
 * patterns known at build time); without it names come from the method's source.
 */
function traceDecorator(options?: TraceOptions | SpanType, build?: BuildInfo) {
  // `new Trace(info, data)` is MLflow's Trace entity constructor: same name, other namespace.
  if (new.target) return new TraceEntity(options as unknown as TraceRecord['info'], build as unknown as TraceRecord['data']) as never;
  const opts = normalizeTraceOptions('@Trace(options)', options);
  const info = validateBuildInfo('@Trace(options, build)', build);

  return function decorate(target: any, context?: any, descriptor?: PropertyDescriptor): any {
    if (isStandardContext(context)) {
      const name = keyName(context.name);
      if (context.kind === 'method') return traced(target as AnyFn, opts, info, name);
      if (context.kind === 'field') {
        return (initial: unknown) => (typeof initial === 'function' ? traced(initial as AnyFn, opts, info, name) : initial);
      }
      return undefined; // getters, setters, accessors, classes: unchanged
    }
    // experimentalDecorators: (prototype | constructor, key, descriptor)
    if (typeof context !== 'string' && typeof context !== 'symbol') {
      throw new TypeError('@Trace must decorate a class method');
    }
    const desc = descriptor ?? Object.getOwnPropertyDescriptor(target, context);
    if (!desc || typeof desc.value !== 'function') return desc; // accessor or field: unchanged
    desc.value = traced(desc.value as AnyFn, opts, info, keyName(context));
    return desc;
  };
}

/** The `Trace` value: the decorator factory, and MLflow's Trace entity constructor / `fromJson`. */
export interface TraceFactory {
  (options?: TraceOptions | SpanType, build?: BuildInfo): (target: any, context?: any, descriptor?: PropertyDescriptor) => any;
  new (info: TraceRecord['info'], data: TraceRecord['data']): TraceEntity;
  /** MLflow's `Trace.fromJson`: `{ info, data }` (or its JSON text) → a trace with `toJson()`. */
  fromJson(json: Parameters<typeof TraceEntity.fromJson>[0]): TraceEntity;
}

export const Trace = traceDecorator as unknown as TraceFactory;
Trace.fromJson = (json) => TraceEntity.fromJson(json);
// `x instanceof Trace` holds for the traces readers return and `new Trace(info, data)` builds.
Object.defineProperty(Trace, Symbol.hasInstance, { value: (value: unknown) => value instanceof TraceEntity });
