/**
 * The `traced<Client>(client)` form that instruments ONE client object in place: the traced
 * method becomes an own, non-enumerable property of the object that holds it (shadowing the
 * SDK's prototype method), so the program keeps its own client object — no Proxy, nothing new
 * per property read — and other clients stay untouched. Instrumenting twice is a no-op.
 *
 * When autolog also patched the SDK, the wrapper calls the SDK's own method (one span per call).
 */
import { ORIGINAL, unwrapPatched } from './patch-registry.js';
import type { MethodTracer } from './traced-client.js';

const IN_PLACE = Symbol.for('tracewright.autolog.inPlace');

/** Instruments `target[key]` in place with `tracer`. Returns false when already done or not a function. */
export function instrumentInPlace(target: object, key: string, tracer: MethodTracer): boolean {
  const current = (target as Record<string, unknown>)[key];
  if (typeof current !== 'function') return false;
  const own = Object.getOwnPropertyDescriptor(target, key);
  if (own && typeof own.value === 'function' && (own.value as unknown as Record<symbol, unknown>)[IN_PLACE]) return false;
  const original = unwrapPatched(current as Function);
  const wrapper = function (this: unknown, ...args: unknown[]) {
    return tracer(original, this, args);
  };
  Object.defineProperty(wrapper, ORIGINAL, { value: original });
  Object.defineProperty(wrapper, IN_PLACE, { value: true });
  Object.defineProperty(wrapper, 'name', { value: (current as Function).name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: (current as Function).length, configurable: true });
  // An own data property the SDK created (e.g. an arrow-function field) keeps its enumerability.
  Object.defineProperty(target, key, { value: wrapper, writable: true, enumerable: own?.enumerable ?? false, configurable: true });
  return true;
}

/** Instruments every `key → tracer` of `methods` on `target`; `target` is returned as is. */
export function instrumentObject<T extends object>(target: T, methods: Readonly<Record<string, MethodTracer>>): T {
  for (const [key, tracer] of Object.entries(methods)) instrumentInPlace(target, key, tracer);
  return target;
}
