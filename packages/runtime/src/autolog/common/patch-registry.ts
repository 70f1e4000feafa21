/**
 * Method patches installed by autolog, kept on `globalThis` so that the ESM and CJS builds of
 * this package (both may be loaded) see one registry: patching is idempotent across them and
 * `autolog({ disable: true })` from either build restores the SDK's own methods.
 */
import { processWide } from '../../core/process-wide.js';
const REGISTRY_KEY = Symbol.for('tracewright.autolog.patches');
/** Set on every wrapper we install, pointing at the method it wraps. */
export const ORIGINAL = Symbol.for('tracewright.autolog.original');

interface Patch {
  target: object;
  key: string;
  original: unknown;
  wrapper: Function;
}

const REMOVED_KEY = Symbol.for('tracewright.autolog.removedWrappers');

/**
 * Wrappers taken off again by unpatchAll. A framework may have copied one onto an object while
 * it was installed (LlamaIndex binds methods per instance at construction); such a copy then
 * just calls the SDK's own method, so disabling restores the behaviour of those objects too.
 */
function removedWrappers(): WeakSet<Function> {
  return processWide(REMOVED_KEY, () => new WeakSet<Function>());
}

function registry(): Map<string, Patch[]> {
  return processWide(REGISTRY_KEY, () => new Map<string, Patch[]>());
}

/** The SDK's own function behind `fn` if `fn` is one of our wrappers, else `fn`. */
export function unwrapPatched<F>(fn: F): F {
  let f: unknown = fn;
  while (typeof f === 'function' && (f as unknown as Record<symbol, unknown>)[ORIGINAL]) f = (f as unknown as Record<symbol, unknown>)[ORIGINAL];
  return f as F;
}

/**
 * Replaces `target[key]` (a method on an SDK class prototype) with `makeWrapper(original)`,
 * unless it is already patched. Returns true if a patch was installed.
 */
export function patchMethod(integration: string, target: object, key: string, makeWrapper: (original: Function) => Function): boolean {
  const current = (target as Record<string, unknown>)[key];
  if (typeof current !== 'function') return false;
  if ((current as unknown as Record<symbol, unknown>)[ORIGINAL]) return false; // already ours
  const wrapper = makeWrapper(current);
  Object.defineProperty(wrapper, ORIGINAL, { value: current });
  Object.defineProperty(wrapper, 'name', { value: current.name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: current.length, configurable: true });
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, {
    value: wrapper,
    writable: descriptor?.writable ?? true,
    enumerable: descriptor?.enumerable ?? false,
    configurable: true,
  });
  const map = registry();
  const list = map.get(integration) ?? [];
  list.push({ target, key, original: current, wrapper });
  map.set(integration, list);
  return true;
}

/** Restores every method patched for `integration`. Returns how many were restored. */
export function unpatchAll(integration: string): number {
  const map = registry();
  const list = map.get(integration) ?? [];
  let restored = 0;
  for (const patch of list.reverse()) {
    removedWrappers().add(patch.wrapper);
    // Someone may have wrapped our wrapper since; then leave theirs in place.
    if ((patch.target as Record<string, unknown>)[patch.key] !== patch.wrapper) continue;
    const descriptor = Object.getOwnPropertyDescriptor(patch.target, patch.key);
    Object.defineProperty(patch.target, patch.key, { ...descriptor, value: patch.original });
    restored++;
  }
  map.delete(integration);
  return restored;
}

/** How many methods are currently patched for `integration`. */
export function patchedCount(integration: string): number {
  return registry().get(integration)?.length ?? 0;
}

/** Patches each `key → tracer` of `tracers` on `target` (see patchMethod); the wrapper calls `tracer(original, this, args)`. */
export function patchTracers(integration: string, target: object, tracers: Readonly<Record<string, (original: Function, self: unknown, args: unknown[]) => unknown>>): void {
  for (const [key, tracer] of Object.entries(tracers)) {
    patchMethod(integration, target, key, (original) => {
      const removed = removedWrappers();
      const wrapper = function (this: unknown, ...args: unknown[]) {
        return removed.has(wrapper) ? original.apply(this, args) : tracer(original, this, args);
      };
      return wrapper;
    });
  }
}
