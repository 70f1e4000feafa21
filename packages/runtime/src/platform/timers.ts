/**
 * The tracer's timers: never the program's to see, and never keeping a finished program alive.
 *
 * The timer functions are taken from the global object once, when the runtime loads. A test
 * that fakes timers afterwards (`vi.useFakeTimers()`, `jest.useFakeTimers()`, sinon) replaces
 * the globals: timers the tracer then set through them were counted as the program's
 * (`vi.getTimerCount()` 0 → 2 after a traced call), waited for its fake clock, and the store's
 * heartbeat made `vi.runAllTimers()` give up after 10,000 timers ("infinite loop"). Timers a
 * test faked before the runtime loaded are seen through (see unfaked.ts). Node's
 * timer objects are unref'd; edge runtimes return plain numbers and have no process to hold
 * open. setImmediate (Node, Bun, Deno) falls back to a zero-delay timeout where it is missing
 * (workerd, browsers).
 */
import { unfaked } from './unfaked.js';

export type Timer = ReturnType<typeof setTimeout>;
export type Deferred = unknown;

const g = globalThis as typeof globalThis & { setImmediate?: typeof setImmediate; clearImmediate?: typeof clearImmediate };
const hasImmediate = typeof g.setImmediate === 'function' && typeof g.clearImmediate === 'function';

/**
 * The global's function as it is now, or its original if a test faked it already (bound: a
 * browser's must be called on the global object); one missing here (a bare sandbox) is looked
 * up when called.
 */
function taken<F extends (...args: never[]) => unknown>(name: 'setTimeout' | 'clearTimeout' | 'setInterval' | 'clearInterval' | 'setImmediate' | 'clearImmediate'): F {
  const fn = unfaked(g[name] as unknown, name);
  return (typeof fn === 'function' ? fn.bind(g) : (...args: unknown[]) => (g[name] as (...a: unknown[]) => unknown)(...args)) as F;
}

/**
 * @internal The timer functions the tracer uses, taken at load. A test of the tracer's own waits
 * (the 30 s wait for open children) may swap them for fake ones, and must put them back.
 */
export const tracerTimers = {
  setTimeout: taken<(fn: () => void, ms?: number) => Timer>('setTimeout'),
  clearTimeout: taken<(timer: Timer | undefined) => void>('clearTimeout'),
  setInterval: taken<(fn: () => void, ms?: number) => Timer>('setInterval'),
  clearInterval: taken<(timer: Timer | undefined) => void>('clearInterval'),
  setImmediate: hasImmediate ? taken<(fn: () => void) => unknown>('setImmediate') : undefined,
  clearImmediate: hasImmediate ? taken<(handle: unknown) => void>('clearImmediate') : undefined,
};

export const setTimer = (fn: () => void, ms?: number): Timer => tracerTimers.setTimeout(fn, ms);
export const clearTimer = (timer: Timer | undefined): void => tracerTimers.clearTimeout(timer);
export const setRepeating = (fn: () => void, ms?: number): Timer => tracerTimers.setInterval(fn, ms);
export const clearRepeating = (timer: Timer | undefined): void => tracerTimers.clearInterval(timer);

export function unrefTimer<T>(timer: T): T {
  (timer as { unref?: () => void } | undefined)?.unref?.();
  return timer;
}

/** Runs `fn` on the next turn of the event loop (the handle holds the process until then). */
export function defer(fn: () => void): Deferred {
  const setImmediateFn = tracerTimers.setImmediate;
  return setImmediateFn ? setImmediateFn(fn) : setTimer(fn, 0);
}

/** Runs `fn` on the next turn of the event loop; the handle does not hold the process. */
export function deferUnref(fn: () => void): Deferred {
  return unrefTimer(defer(fn));
}

export function clearDeferred(handle: Deferred): void {
  const clearImmediateFn = tracerTimers.clearImmediate;
  if (clearImmediateFn) clearImmediateFn(handle);
  else clearTimer(handle as Timer);
}

/** A promise resolved on the next turn of the event loop. */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => defer(resolve));
}

/** A promise resolved after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise<void>((resolve) => setTimer(resolve, ms));
}
