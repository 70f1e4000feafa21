import { builtinModule } from './builtin.edge.js';

interface UtilTypes {
  isProxy(value: unknown): boolean;
  isPromise(value: unknown): boolean;
  isAsyncFunction(value: unknown): boolean;
}

const util = builtinModule<{ types?: UtilTypes }>('node:util')?.types;

const PromiseCtor = Promise;
const getPrototypeOf = Object.getPrototypeOf;
const AsyncFunctionPrototype = getPrototypeOf(async function () {});

/**
 * Without node:util (workerd without nodejs_compat, browsers) there is no slot check in plain
 * JavaScript. Documented differences: a Proxy is not recognised as one (so the serializer
 * records what its traps return), and these checks read the prototype, which runs a Proxy's
 * getPrototypeOf trap. An object made with Object.create(Promise.prototype), which is not a
 * promise, would pass for one; no program we know of makes such objects.
 */
export const isProxy: (value: unknown) => boolean = util ? util.isProxy : () => false;
export const isPromiseSlot: (value: unknown) => boolean = util ? util.isPromise : (value) => value instanceof PromiseCtor;
export const isAsyncFunction: (value: unknown) => boolean = util
  ? util.isAsyncFunction
  : (value) => typeof value === 'function' && getPrototypeOf(value) === AsyncFunctionPrototype;
