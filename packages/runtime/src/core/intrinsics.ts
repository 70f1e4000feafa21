/**
 * Built-ins the tracer uses on every call, captured when this module loads. Programs delete or
 * replace globals (`delete globalThis.BigInt` to emulate an old browser, `global.Promise =
 * Bluebird`, a polyfilled `JSON`): the tracer must keep working, and must keep recognising the
 * engine's own promises, whatever the program later does to the global object.
 */
import { isAsyncFunction as asyncFunctionCheck, isPromiseSlot as promiseSlotCheck, isProxy as proxyCheck } from '../platform/brands.js';

export const BigIntCtor = BigInt;
export const NativePromise = Promise;
export const NativePromisePrototype = Promise.prototype;
export const promiseThen = Promise.prototype.then;
export const jsonStringify = JSON.stringify;
export const mathRandom = Math.random;
export const objectGetPrototypeOf = Object.getPrototypeOf;
export const objectKeys = Object.keys;
export const objectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
export const ObjectPrototype = Object.prototype;
export const arrayIsArray = Array.isArray;
export const reflectApply = Reflect.apply;
export const reflectConstruct = Reflect.construct;
export const reflectGet = Reflect.get;
export const reflectDefineProperty = Reflect.defineProperty;
export const reflectDeleteProperty = Reflect.deleteProperty;
export const MapCtor = Map;
export const SetCtor = Set;
export const WeakMapCtor = WeakMap;
export const DateCtor = Date;
export const DatePrototype = Date.prototype;
/** `URL.prototype.toJSON` (absent where `URL` is): the built-in one, never a program's replacement. */
export const urlToJSON: (() => string) | undefined = typeof URL === 'function' ? URL.prototype.toJSON : undefined;
export const ErrorCtor = Error;
export const mapEntries = Map.prototype.entries;
export const setValues = Set.prototype.values;
export const iteratorSymbol = Symbol.iterator;
export const asyncIteratorSymbol = Symbol.asyncIterator;
export const numberIsFinite = Number.isFinite;
/** May be missing where cross-origin isolation is off, or deleted by the program. */
export const FinalizationRegistryCtor: typeof FinalizationRegistry | undefined =
  typeof FinalizationRegistry === 'function' ? FinalizationRegistry : undefined;

/**
 * Brand checks that read internal slots, never properties: a Proxy (even a revoked one, or
 * one whose traps throw) is recognised without running any of its traps.
 */
export const isProxy: (value: unknown) => boolean = proxyCheck;
const isPromiseSlot: (value: unknown) => boolean = promiseSlotCheck;
/** `async function` / async arrow / async method (by the engine's function kind, not a property). */
export const isAsyncFunction: (value: unknown) => boolean = asyncFunctionCheck;

/**
 * A promise made by the engine itself (async functions, `new Promise`), not a subclass such
 * as an SDK's `APIPromise` or a library's cancelable promise: those carry their own API and
 * are never observed through `.then` (see tracer.ts).
 */
export function isNativePromise(value: unknown): value is Promise<unknown> {
  // The slot check is false for a Proxy, so getPrototypeOf never reaches a trap.
  return isPromiseSlot(value) && objectGetPrototypeOf(value) === NativePromisePrototype;
}
