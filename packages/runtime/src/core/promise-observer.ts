/**
 * Observing a native promise returned by a traced call without changing the program.
 *
 * The caller gets the very promise the function returned; the span learns its outcome through
 * a reaction of our own. A reaction marks the promise as handled, which would hide a rejection
 * the untraced program leaves unhandled (no `unhandledRejection`, no crash). So for the promise
 * of a traced *async function* — fresh, and reachable by nobody but the caller — we track with a
 * V8 promise hook whether the program reacts to it (`then`/`catch`/`finally`, `await`,
 * `Promise.all`…). When it rejects and the program has not reacted, a surrogate promise rejected
 * with the same reason takes its place in Node's unhandled-rejection check; it is marked handled
 * the moment the program does react (so a late handler behaves as it would have: silently
 * before the check, `rejectionHandled` after it).
 *
 * V8 reports the function's own `await`s on non-promise values as reactions to its promise;
 * they happen inside the call's context (its frame or a descendant), a caller's never do.
 *
 * Any other native promise (a plain function returning a promise it got elsewhere, maybe cached
 * and handled long ago) has an unknown history and is treated as handled: tracing may then hide
 * an unhandled rejection, but never creates one. Without promise hooks (non-Node runtimes) every
 * promise is treated that way.
 *
 * Residual difference, documented: `process.on('unhandledRejection', (reason, promise))`
 * receives the same reason but the surrogate as `promise`.
 *
 * The hook is an `async_hooks` init callback, not a second `v8.promiseHooks.onInit` hook: Node's
 * hook-based AsyncLocalStorage (Node 20/22) already holds V8's promise hook, and with two hooks
 * Node runs them through a dispatcher that turns any exception a hook throws into an uncaught
 * exception. Near the stack limit (deep async recursion) a hook's first frame overflows, so the
 * program's RangeError became a process crash (exit code 7, "Exception in PromiseRejectCallback")
 * where untraced it rejects and is handled. Under the single V8 hook an overflow at its entry is
 * an ordinary exception of the code that made the promise, as untraced. The callback sees the
 * parent as an async id, so a watch is found by the id of its promise, learnt from our own
 * reaction (its derived promise's trigger id is the watched promise's id).
 */
import { createAsyncInitHook } from '../platform/promise-hooks.js';
import { FinalizationRegistryCtor, MapCtor, NativePromise, objectGetPrototypeOf, WeakMapCtor, promiseThen, reflectDefineProperty, reflectDeleteProperty, reflectGet } from './intrinsics.js';
import { runtimeState, type ContextFrame } from './state.js';

interface Watch {
  /** The program reacted to the promise. */
  reacted: boolean;
  /**
   * The span of the call that made the promise: reactions from inside its context (its frame or a
   * descendant) are the function's own awaits. By id, not the frame: a watch whose promise never
   * settles must not hold the call's span (and its trace) forever.
   */
  readonly spanId: string;
  /** The promise's async id (the trigger id of every promise derived from it). */
  readonly id: number;
  /** `missed` when the watch began: a hook failure since then may have lost a reaction. */
  readonly missedAtStart: number;
  /** Rejected while unreacted: stands in for the promise in Node's unhandled check. */
  surrogate: Promise<unknown> | undefined;
}

/**
 * Where the runtime may report promises to async_hooks. A runtime that has the API but reports no
 * promises (Bun) never yields a watched promise's id (see attach): its promises count as handled.
 */
const hooksAvailable = createAsyncInitHook !== undefined;

const watches = new MapCtor<number, Watch>();
/**
 * The newest watch, kept outside `watches` while it waits: a program that awaits each traced call
 * as it makes it (the common shape) then never adds to or deletes from the map. A map emptied
 * and refilled on every call makes V8 reallocate its table (shrinking on the delete, or
 * rehashing a table full of deleted entries on the set): profiled at 0.5–1 µs a traced async call.
 */
let newest: Watch | undefined;

function watchOf(id: number): Watch | undefined {
  return newest !== undefined && newest.id === id ? newest : watches.get(id);
}

/**
 * A watch is dropped when its promise settles and the program has reacted. One whose promise
 * never settles and that nobody awaits stays (a few dozen bytes); past this many, new promises
 * are not watched (treated as handled: tracing may then hide an unhandled rejection, never add one).
 */
const MAX_WATCHES = 100_000;
/** Watches still waiting for a first reaction from the program. */
let watching = 0;
let asyncHook: { enable(): unknown; disable(): unknown } | undefined;
let hookInstalled = false;
/** Remove the hook once no watch is left (tracing was disabled). */
let releaseWhenIdle = false;
/** Set while we attach our own reactions, which must not count as the program's. */
let ownReaction = false;
/** Set while our reaction to a watched promise is attached: its trigger id is that promise's id. */
let capturing = false;
let capturedId: number | undefined;
/**
 * Hook calls that failed (no stack left): a reaction of the program may have been missed, so a
 * watch that saw one is treated as reacted (never a surrogate the program did not cause).
 */
let missed = 0;
/** Observations that could not be attached (no stack left), retried as soon as there is stack. */
const deferred: Array<() => void> = [];

const noop = () => {};
const finalizer = FinalizationRegistryCtor ? new FinalizationRegistryCtor<Watch>(forget) : undefined;

function within(frame: ContextFrame | undefined, spanId: string): boolean {
  for (let f = frame; f !== undefined; f = f.caller) if (f.span?.spanId === spanId) return true;
  return false;
}

function onInit(_asyncId: number, type: string, triggerAsyncId: number): void {
  // Node turns an exception of an async_hooks callback into a fatal error: nothing may escape.
  try {
    if (ownReaction) {
      if (capturing) {
        capturedId = triggerAsyncId;
        capturing = false;
      }
      return;
    }
    if (watching === 0 || type !== 'PROMISE') return;
    const watch = watchOf(triggerAsyncId);
    if (watch === undefined || watch.reacted) return;
    if (within(runtimeState().als.getStore(), watch.spanId)) return;
    programReacted(watch);
  } catch {
    missed++;
  }
}

function programReacted(watch: Watch): void {
  settleWatch(watch);
  // Handled late: withdraw the surrogate from the unhandled check, as V8 does for the original.
  if (watch.surrogate) react(watch.surrogate, undefined, noop);
}

/**
 * The second sign of a reaction. Every way a program consumes a native promise reads its
 * `constructor` first — then/catch/finally (the species lookup), await, Promise.all/race/any/
 * allSettled, Promise.resolve and `for await` (PromiseResolve) — and inspecting one does not.
 * The promise hook sees most reactions, not `for await` over a plain iterable holding the promise
 * (`for await (const r of [p])`, `yield*` of one in an async generator): V8 attaches that one
 * without making a promise, and a rejection the loop handles would have become unhandled. So a
 * watched promise carries an own `constructor` accessor until its first read, which removes it
 * (the promise gets its usual shape back) and answers what the prototype says. Assigning
 * `constructor` makes the data property the program asked for, and counts as a reaction (the
 * sign is gone: never a surrogate the program did not cause).
 */
const readWatches = new WeakMapCtor<object, Watch>();

function readConstructor(promise: object): void {
  // Our own reactions (a traced caller observing the promise it got back) read it too: the
  // accessor stays for the program's.
  if (ownReaction) return;
  try {
    const watch = readWatches.get(promise);
    if (watch === undefined) return;
    readWatches.delete(promise);
    reflectDeleteProperty(promise, 'constructor');
    if (!watch.reacted) programReacted(watch);
  } catch {
    missed++;
  }
}

/** One accessor for every watched promise: a fresh pair per promise would give each its own shape. */
const constructorWatch: PropertyDescriptor = {
  configurable: true,
  get(this: unknown): unknown {
    // Found by the receiver: an object inheriting from a watched promise reads the prototype's.
    let promise = this as object;
    while (promise !== null && !readWatches.has(promise)) promise = objectGetPrototypeOf(promise);
    if (promise === null) return undefined;
    readConstructor(promise);
    const proto = objectGetPrototypeOf(promise);
    return proto === null ? undefined : reflectGet(proto, 'constructor', this);
  },
  set(this: object, value: unknown): void {
    let promise = this as object;
    while (promise !== null && !readWatches.has(promise)) promise = objectGetPrototypeOf(promise);
    if (promise !== null) readConstructor(promise);
    reflectDefineProperty(this, 'constructor', { value, writable: true, enumerable: true, configurable: true });
  },
};

function watchReads(promise: Promise<unknown>, watch: Watch): void {
  readWatches.set(promise, watch);
  reflectDefineProperty(promise, 'constructor', constructorWatch);
}

function settleWatch(watch: Watch): void {
  watch.reacted = true;
  if (watch === newest) newest = undefined;
  else watches.delete(watch.id);
  unwatch();
}

function unwatch(): void {
  watching--;
  if (watching === 0 && releaseWhenIdle) releaseHook();
}

function releaseHook(): void {
  releaseWhenIdle = false;
  if (!hookInstalled) return;
  hookInstalled = false;
  asyncHook?.disable();
}

/**
 * Takes the promise hook out once no promise is watched any more (now, or when the last watch
 * ends), so a process that stopped tracing pays nothing per promise. A watched promise keeps it:
 * without the hook a late reaction could not withdraw its surrogate.
 */
export function releasePromiseHookWhenIdle(): void {
  if (watching === 0) releaseHook();
  else releaseWhenIdle = true;
}

function react(promise: Promise<unknown>, onFulfilled: ((value: unknown) => void) | undefined, onRejected: (reason: unknown) => void): void {
  ownReaction = true;
  try {
    promiseThen.call(promise, onFulfilled, onRejected);
  } finally {
    ownReaction = false;
    capturing = false;
  }
}

function forget(watch: Watch): void {
  if (watch.reacted) return;
  settleWatch(watch);
}

function installHook(): true {
  if (hookInstalled) return true;
  asyncHook ??= createAsyncInitHook!(onInit);
  asyncHook.enable();
  hookInstalled = true;
  releaseWhenIdle = false;
  return true;
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
  const tracked = callFrame?.span !== undefined && watching < MAX_WATCHES && hooksAvailable && installHook();
  let watch: Watch | undefined;
  capturedId = undefined;
  capturing = tracked;
  react(
    promise,
    (value: unknown) => {
      if (watch && !watch.reacted) settleWatch(watch);
      onFulfilled(value);
    },
    (reason: unknown) => {
      if (watch && !watch.reacted) {
        if (missed !== watch.missedAtStart) {
          // A reaction of the program may have gone unseen: never add an unhandled rejection.
          settleWatch(watch);
        } else {
          // Untraced, this rejection would now be pending in the unhandled check.
          ownReaction = true;
          try {
            watch.surrogate = NativePromise.reject(reason);
          } finally {
            ownReaction = false;
          }
          // Kept for a late reaction while the promise lives (a weak cell only on this rare path:
          // one per call would cost more than the rest of the observation).
          finalizer?.register(promise, watch);
        }
      }
      onRejected(reason);
    },
  );
  if (!tracked || capturedId === undefined) return;
  // The reaction is attached: from here on a failure leaves the promise untracked (treated as
  // handled), never unobserved.
  try {
    const w: Watch = { reacted: false, spanId: callFrame!.span!.spanId, id: capturedId, missedAtStart: missed, surrogate: undefined };
    if (newest === undefined) newest = w;
    else watches.set(capturedId, w);
    watching++;
    watch = w;
    watchReads(promise, w);
  } catch {
    if (watch === undefined) watches.delete(capturedId);
  }
}
