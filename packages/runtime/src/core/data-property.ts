/**
 * Reading a value to record it must not run the program's code: no getter and no Proxy trap runs
 * (a getter can count its reads, cache, or mark a request as abortable; a Proxy's traps can track
 * what was read). The one rule for the serializer, the shapes of remembered objects and parameter
 * binding.
 */
import { isProxy, objectGetOwnPropertyDescriptor, objectGetPrototypeOf, ObjectPrototype } from './intrinsics.js';

/** What the readers below return for a getter, or for anything reached through a Proxy: not read. */
export const NOT_READ: unique symbol = Symbol('not read');

/**
 * Annex B's `__lookupGetter__` answers "is there a getter?" without making a descriptor object:
 * recording the peer bench's 1.9 KB argument (22 fields) cost +2 µs this way against +4 µs with a
 * descriptor per field (8.7 µs before either). Captured at load, with the descriptor as the
 * fallback where a hardened realm removed it.
 */
const lookupGetter = (Object.prototype as { __lookupGetter__?: (key: PropertyKey) => unknown }).__lookupGetter__;

/**
 * `obj`, not itself a Proxy, inherits from one: `instanceof`, `in` and reads of inherited members
 * would run its traps (getPrototypeOf, has, getOwnPropertyDescriptor, get), so only its own
 * members may be read. The walk stops at Object.prototype, whose prototype cannot be changed.
 */
export function inheritsFromProxy(obj: object): boolean {
  let proto = objectGetPrototypeOf(obj) as object | null;
  for (let depth = 0; proto !== null && proto !== ObjectPrototype && depth < 64; depth++) {
    if (isProxy(proto)) return true;
    proto = objectGetPrototypeOf(proto) as object | null;
  }
  return false;
}

/**
 * `obj[key]`, own or inherited, for an object that neither is nor inherits from a Proxy (an own
 * key of one that inherits from a Proxy is read without reaching it): NOT_READ when reading it
 * would run a getter (a setter alone reads as undefined, as it does untraced).
 */
export function memberValue(obj: object, key: PropertyKey): unknown {
  if (lookupGetter === undefined) return dataProperty(obj, key);
  // The first object on the chain that has the key answers: a data property there means no getter runs.
  return lookupGetter.call(obj, key) !== undefined ? NOT_READ : (obj as Record<PropertyKey, unknown>)[key];
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
