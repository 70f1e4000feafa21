/**
 * What other decorators stored on a method, carried onto its traced replacement.
 *
 * Frameworks keep routing and DI facts on the method function itself: NestJS's `@Get`,
 * `@HttpCode`, `@UseGuards`, `@SetMetadata` call `Reflect.defineMetadata(key, value, method)`,
 * older libraries set plain properties on it. Under `experimentalDecorators` the decorators
 * below `@Trace` run first and write to the original; `@Trace` then swaps in a new function,
 * so without this the route vanishes (404). Decorators above `@Trace` run later and write to
 * the replacement directly, which needs nothing. TC39 decorators keep class-level metadata in
 * `context.metadata` (`Class[Symbol.metadata]`), which replacing a method does not touch; an
 * own `Symbol.metadata` on the function itself is carried like any other own property.
 *
 * The copy is taken once, when `@Trace` runs: something written to the original function
 * object later (by a decorator below ours that kept a reference to it) is not seen on the
 * traced method. reflect-metadata is never imported here; its API is used when the program
 * has installed it (or core-js's equivalent) on `Reflect`.
 */
import { reportInternalError } from '../core/diagnostics.js';

/** Own properties every function has; the wrapper sets name/length itself. */
const STANDARD_KEYS = new Set<PropertyKey>(['length', 'name', 'prototype', 'arguments', 'caller']);

interface MetadataReflect {
  getMetadata(key: unknown, target: object): unknown;
  getOwnMetadataKeys(target: object): unknown[];
  getOwnMetadata(key: unknown, target: object): unknown;
  defineMetadata(key: unknown, value: unknown, target: object): void;
}

function metadataReflect(): MetadataReflect | undefined {
  const r = Reflect as unknown as Partial<MetadataReflect>;
  return typeof r.getMetadata === 'function' &&
    typeof r.getOwnMetadataKeys === 'function' &&
    typeof r.getOwnMetadata === 'function' &&
    typeof r.defineMetadata === 'function'
    ? (r as MetadataReflect)
    : undefined;
}

/**
 * Copies `from`'s own properties (except the standard ones and any `to` already has) and its
 * own reflect-metadata entries onto `to`. Never throws: a failure (a hostile Proxy, a frozen
 * target) is reported through the diagnostics and the method is still traced.
 */
export function carryFunctionMetadata(from: Function, to: Function): void {
  try {
    for (const key of Reflect.ownKeys(from)) {
      if (STANDARD_KEYS.has(key) || Object.prototype.hasOwnProperty.call(to, key)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(from, key);
      if (descriptor) Object.defineProperty(to, key, descriptor);
    }
    const reflect = metadataReflect();
    if (!reflect) return;
    for (const key of reflect.getOwnMetadataKeys(from)) {
      reflect.defineMetadata(key, reflect.getOwnMetadata(key, from), to);
    }
  } catch (error) {
    reportInternalError('@Trace (carrying decorator metadata)', error);
  }
}
