/**
 * Observing a native promise returned by a traced call without changing the program.
 *
 * The caller gets the very promise the function returned; the span learns its outcome through
 * a reaction of our own. A reaction marks the promise as handled, which would hide a rejection
 * the untraced program leaves unhandled (no `unhandledRejection`, no crash). So for the promise
 * of a traced *async function* — fresh, and reachable by nobody but the caller — we watch whether
 * the program consumes it. When it rejects and the program has not, a surrogate promise rejected
 * with the same reason takes its place in the runtime's unhandled-rejection check; it is marked
 * handled the moment the program does consume it (so a late handler behaves as it would have:
 * silently before the check, `rejectionHandled` after it).
 *
 * How consumption is seen: every way a program consumes a promise reads its `constructor`
 * first — then/catch/finally through the species lookup; await, `Promise.all`/`race`/`any`/
 * `allSettled`, `Promise.resolve`, resolving another promise with it and `for await` through
 * PromiseResolve — as the language specifies, while inspecting one does not. A watched promise
 * carries an own `constructor` accessor until its first read by the program, which removes it
 * (the promise gets its usual shape back) and answers what the prototype says. Nothing is paid
 * for the program's other promises, and no runtime hook is needed.
 *
 * Any other native promise (a plain function returning a promise, fresh or got elsewhere, maybe
 * cached and handled long ago) has an unknown history: a reaction of ours could hide a rejection
 * nobody handles, and a surrogate could raise one somebody handled before it was returned. So no
 * reaction is attached until the program consumes it (the same `constructor` watch): then it is
 * handled anyway, and the span learns the outcome. One the program has not consumed by the next
 * turn of the event loop (fire-and-forget, or consumed later) is left alone: the span records
 * the promise itself, ended when the call returned, and its rejection stays the program's.
 *
 * Residual differences, documented: `process.on('unhandledRejection', (reason, promise))`
 * receives the same reason but the surrogate as `promise`; until the program's first read,
 * `Object.getOwnPropertyNames(promise)` lists `constructor`; a program that reads
 * `promise.constructor` without consuming the promise is taken to have consumed it.
 */
import { isNativePromise, NativePromise, NativePromisePrototype, objectGetPrototypeOf, promiseThen, reflectDefineProperty, reflectDeleteProperty, reflectGet, WeakMapCtor } from './intrinsics.js';
import type { ContextFrame } from './state.js';
import { defer } from '../platform/timers.js';

interface Watch {
  /** The program consumed the promise (or may have: never a surrogate it did not cause). */
  reacted: boolean;
  /** Rejected while unconsumed: stands in for the promise in the unhandled check. */
  surrogate: Promise<unknown> | undefined;
  /** Observers of a promise of unknown history, attached once the program consumes it. */
  waiters: Waiter[] | undefined;
}

interface Waiter {
  onFulfilled: (value: unknown) => void;
  onRejected: (reason: unknown) => void;
  /** Attached, or given up at the next turn. */
  done: boolean;
}

/** Watched promises, until the program's first read of their `constructor`. */
const watches = new WeakMapCtor<object, Watch>();
/** Set while we attach our own reactions, which must not count as the program's. */
let ownReaction = false;
/** Observations that could not be attached (no stack left), retried as soon as there is stack. */
const deferred: Array<() => void> = [];

const noop = () => {};

/** The watched promise a `constructor` access is about: the receiver or one it inherits from. */
function watchedFrom(receiver: unknown): object | null {
  let promise = receiver as object | null;
  while (promise !== null && typeof promise === 'object' && !watches.has(promise)) promise = objectGetPrototypeOf(promise);
  return typeof promise === 'object' ? promise : null;
}

function consumed(promise: object): void {
  // Our own reactions (a traced caller observing the promise it got back) read it too: the
  // accessor stays for the program's.
  if (ownReaction) return;
  const watch = watches.get(promise)!;
  const first = !watch.reacted;
  // First: whatever fails below, never a surrogate the program did not cause.
  watch.reacted = true;
  const waiters = watch.waiters;
  watch.waiters = undefined;
  try {
    unwatch(promise);
    // Consumed late: withdraw the surrogate from the unhandled check, as the engine does for the original.
    if (first && watch.surrogate) react(watch.surrogate, undefined, noop);
    // The program handles it now: our reactions change nothing it could see.
    if (waiters !== undefined) {
      for (const waiter of waiters) {
        if (waiter.done) continue;
        waiter.done = true;
        react(promise as Promise<unknown>, waiter.onFulfilled, waiter.onRejected);
      }
    }
  } catch {
    // Never into the program's call (no stack left).
  }
}

/** Takes the accessor away (the promise gets its usual shape back) and forgets the watch. */
function unwatch(promise: object): void {
  // A frozen promise keeps the accessor (and its entry, so the accessor still finds it).
  if (reflectDeleteProperty(promise, 'constructor')) watches.delete(promise);
}

/**
 * Starts watching `promise` (fresh: nothing but our own reaction has read its constructor yet).
 * A promise that cannot carry the accessor (frozen) stays unwatched: `w.reacted`, handled.
 */
function watch(promise: object, w: Watch): void {
  try {
    watches.set(promise, w);
    if (reflectDefineProperty(promise, 'constructor', constructorWatch)) return;
    watches.delete(promise);
  } catch {
    // No stack left for the accessor (our reaction is attached already: never thrown from here).
    try {
      watches.delete(promise);
    } catch {
      // Its entry stays, harmless without the accessor.
    }
  }
  w.reacted = true;
}

/** One accessor for every watched promise: a fresh pair per promise would give each its own shape. */
const constructorWatch: PropertyDescriptor = {
  configurable: true,
  get(this: unknown): unknown {
    let proto: object | null = NativePromisePrototype;
    try {
      const promise = watchedFrom(this);
      if (promise !== null) {
        consumed(promise);
        proto = objectGetPrototypeOf(promise);
      }
    } catch {
      // Never into the program's call: it still gets what the untraced promise answers.
    }
    // What the untraced promise answers: its prototype's constructor.
    return proto === null ? undefined : reflectGet(proto, 'constructor', this);
  },
  set(this: object, value: unknown): void {
    // Assigning it takes the sign away: counted as consumed.
    try {
      const promise = watchedFrom(this);
      if (promise !== null) consumed(promise);
    } catch {
      // As in get.
    }
    reflectDefineProperty(this, 'constructor', { value, writable: true, enumerable: true, configurable: true });
  },
};

function react(promise: Promise<unknown>, onFulfilled: ((value: unknown) => void) | undefined, onRejected: (reason: unknown) => void): void {
  ownReaction = true;
  try {
    promiseThen.call(promise, onFulfilled, onRejected);
  } finally {
    ownReaction = false;
  }
}

/**
 * `value` was the operand of the program's own `await` (or an async function's `return`) in
 * code compiled inline, and the runtime call between the operand and the engine failed (no
 * stack left), so the program never took it. Consumes it as that `await` would have (a
 * watched promise counts it as the program's), so its rejection is not left unhandled. Any
 * other thenable is left alone: its `then` is the program's code.
 */
export function consumeHeld(value: unknown): void {
  if (isNativePromise(value)) promiseThen.call(value, undefined, noop);
}

/** Attaches the observations deferred for lack of stack; false if there is still none. */
function retryDeferred(): boolean {
  try {
    while (deferred.length > 0) {
      deferred[0]!();
      deferred.shift();
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Reports `promise`'s outcome to `onFulfilled` / `onRejected` (which must not throw) without
 * changing whether its rejection counts as handled. `callFrame`: the promise is the fresh
 * promise of the async function called in that context; undefined: history unknown.
 *
 * Never throws. With no stack left to attach the reaction (the call returned at the stack limit),
 * the observation is retried at the next one, or on the next microtask, with the promise's
 * history unknown (the program may have reacted meanwhile, unseen).
 */
export function observePromise(
  promise: Promise<unknown>,
  callFrame: ContextFrame | undefined,
  onFulfilled: (value: unknown) => void,
  onRejected: (reason: unknown) => void,
): void {
  if (deferred.length === 0 || retryDeferred()) {
    try {
      attach(promise, callFrame, onFulfilled, onRejected);
      return;
    } catch {
      // No stack left to attach the reaction: below.
    }
  }
  deferred.push(() => attach(promise, undefined, onFulfilled, onRejected));
  try {
    react(NativePromise.resolve(), retryDeferred, noop);
  } catch {
    // Still no stack: the next observation retries.
  }
}

function attach(
  promise: Promise<unknown>,
  callFrame: ContextFrame | undefined,
  onFulfilled: (value: unknown) => void,
  onRejected: (reason: unknown) => void,
): void {
  const w: Watch | undefined = callFrame?.span !== undefined && !watches.has(promise) ? { reacted: false, surrogate: undefined, waiters: undefined } : undefined;
  // Our reaction first, while a fresh promise still has the engine's own shape (its then() takes
  // the fast path, no species lookup through the accessor); the watch after it.
  react(
    promise,
    (value: unknown) => {
      if (w) {
        // Fulfilled: nothing left to keep unhandled.
        w.reacted = true;
        try {
          if (watches.get(promise) === w) unwatch(promise);
        } catch {
          // A reaction of ours must never fail (its own promise would reject unhandled).
        }
      }
      onFulfilled(value);
    },
    (reason: unknown) => {
      // Untraced, this rejection would now be pending in the unhandled check.
      if (w && !w.reacted) w.surrogate = NativePromise.reject(reason);
      onRejected(reason);
    },
  );
  if (w) watch(promise, w);
}

/**
 * Reports the outcome of `promise`, a native promise of unknown history (a plain function
 * returned it), once the program consumes it; `onUnobserved` if it has not by the next turn of
 * the event loop, or cannot be watched (frozen). Never attaches a reaction the program did not
 * cause (see the top of this module). Never throws.
 */
export function observeWhenConsumed(
  promise: Promise<unknown>,
  onFulfilled: (value: unknown) => void,
  onRejected: (reason: unknown) => void,
  onUnobserved: () => void,
): void {
  try {
    const existing = watches.get(promise);
    // The fresh promise of a traced async function, returned on: its watch keeps an unconsumed
    // rejection unhandled, so a reaction of ours hides nothing.
    if (existing !== undefined && existing.waiters === undefined && !existing.reacted) return observePromise(promise, undefined, onFulfilled, onRejected);
    const waiter: Waiter = { onFulfilled, onRejected, done: false };
    if (existing?.waiters !== undefined) existing.waiters.push(waiter);
    else {
      const w: Watch = { reacted: true, surrogate: undefined, waiters: [waiter] };
      watches.set(promise, w);
      if (!reflectDefineProperty(promise, 'constructor', constructorWatch)) {
        watches.delete(promise);
        return onUnobserved();
      }
    }
    if (pending.length === 0) defer(giveUpUnconsumed);
    pending.push(promise, waiter, onUnobserved);
  } catch {
    // No stack left: the promise stays the program's.
    onUnobserved();
  }
}

/** Waiters to give up at the next turn, as triples (promise, waiter, onUnobserved): one timer per turn, not one per call. */
let pending: unknown[] = [];

function giveUpUnconsumed(): void {
  const due = pending;
  pending = [];
  for (let i = 0; i < due.length; i += 3) {
    const waiter = due[i + 1] as Waiter;
    if (waiter.done) continue;
    waiter.done = true;
    try {
      giveUp(due[i] as object, waiter);
      (due[i + 2] as () => void)();
    } catch {
      // A timer callback of ours: nothing may reach the program's uncaught handlers.
    }
  }
}

/** `waiter` stops waiting; the last one takes the watch away. */
function giveUp(promise: object, waiter: Waiter): void {
  try {
    const w = watches.get(promise);
    const waiters = w?.waiters;
    if (waiters === undefined) return;
    const i = waiters.indexOf(waiter);
    if (i !== -1) waiters.splice(i, 1);
    if (waiters.length === 0) {
      w!.waiters = undefined;
      unwatch(promise);
    }
  } catch {
    // The accessor stays: it answers what the prototype says.
  }
}
