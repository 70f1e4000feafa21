/**
 * Timers that never keep a finished program alive, on every runtime: Node's timer objects are
 * unref'd; edge runtimes return plain numbers and have no process to hold open. setImmediate
 * (Node, Bun, Deno) falls back to a zero-delay timeout where it is missing (workerd, browsers).
 */
export type Timer = ReturnType<typeof setTimeout>;
export type Deferred = unknown;

export function unrefTimer<T>(timer: T): T {
  (timer as { unref?: () => void } | undefined)?.unref?.();
  return timer;
}

const hasImmediate = typeof setImmediate === 'function';

/** Runs `fn` on the next turn of the event loop; the handle does not hold the process. */
export function deferUnref(fn: () => void): Deferred {
  return unrefTimer(hasImmediate ? setImmediate(fn) : setTimeout(fn, 0));
}

export function clearDeferred(handle: Deferred): void {
  if (hasImmediate) clearImmediate(handle as ReturnType<typeof setImmediate>);
  else clearTimeout(handle as Timer);
}
