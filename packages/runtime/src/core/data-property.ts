/**
 * Reading a value to record it must not run the program's code: no getter and no Proxy trap runs
 * (a getter can count its reads, cache, or mark a request as abortable; a Proxy's traps can track
 * what was read). The one rule for the serializer, the shapes of remembered objects and parameter
 * binding.
 */
import { isProxy, objectGetOwnPropertyDescriptor, objectGetPrototypeOf } from './intrinsics.js';

/** What the readers below return for a getter, or for anything reached through a Proxy: not read. */
export const NOT_READ: unique symbol = Symbol('not read');

/**
 * `obj[key]` for an own property of an object known not to be a Proxy: its value when it is a
 * data property, NOT_READ for a getter (a setter alone reads as undefined, as it does untraced).
 */
export function ownDataProperty(obj: object, key: PropertyKey): unknown {
  const d = objectGetOwnPropertyDescriptor(obj, key);
  return d === undefined ? undefined : d.get !== undefined ? NOT_READ : d.value;
}

/** `obj[key]` along the prototype chain, by the same rule; undefined if no object has it. May throw (exotic objects). */
export function dataProperty(obj: unknown, key: PropertyKey): unknown {
  let o = obj;
  for (let depth = 0; o !== null && o !== undefined && depth < 64; depth++) {
    if (isProxy(o)) return NOT_READ;
    const d = objectGetOwnPropertyDescriptor(o, key);
    if (d !== undefined) return d.get !== undefined ? NOT_READ : d.value;
    o = objectGetPrototypeOf(o);
  }
  return undefined;
}
