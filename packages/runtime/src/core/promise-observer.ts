/**
 * Observing a native promise returned by a traced call without changing the program.
 *
 * The caller gets the very promise the function returned; the span learns its outcome through
 * a reaction of our own. A reaction marks the promise as handled, which would hide a rejection
 * the untraced program leaves unhandled (no `unhandledRejection`, no crash). So we track, with
 * a V8 promise hook, whether the *program* reacts to the promise (`then`/`catch`/`finally`,
 * `await`, `Promise.all`…): when the promise rejects and the program has not reacted, a
 * surrogate promise rejected with the same reason takes its place in Node's unhandled-rejection
 * check, and is marked handled the moment the program does react (so a late handler behaves
 * as it would have: silently before the check, `rejectionHandled` after it).
 *
 * Reactions attached before the promise is returned to us are seen through a "call window":
 * while a traced function runs synchronously, the promises created and reacted to are noted
 * (plain arrays, cleared when the window closes). A returned promise that was created inside
 * the window has a fully known history; one created before the call (a cached promise) has an
 * unknown one and is treated as handled: tracing may then hide an unhandled rejection but never
 * creates one. Without promise hooks (non-Node runtimes) every promise is treated that way.
 *
 * Residual difference, documented: `process.on('unhandledRejection', (reason, promise))`
 * receives the same reason but the surrogate as `promise`.
 */
import * as v8 from 'node:v8';
import { FinalizationRegistryCtor, NativePromise, promiseThen, WeakMapCtor } from './intrinsics.js';

interface Watch {
  /** The program reacted to the promise (or its history is unknown). */
  reacted: boolean;
  /** Rejected while unreacted: stands in for the promise in Node's unhandled check. */
  surrogate: Promise<unknown> | undefined;
}

type InitHook = (promise: Promise<unknown>, parent?: Promise<unknown>) => void;
const hooks = (v8 as unknown as { promiseHooks?: { onInit(hook: InitHook): () => void } }).promiseHooks;

const watches = new WeakMapCtor<Promise<unknown>, Watch>();
/** Watches still waiting for a first reaction from the program. */
let watching = 0;
let hookInstalled = false;

// Call windows (nested): promises created / reacted to while traced calls run synchronously.
let windowDepth = 0;
const created: Array<Promise<unknown>> = [];
const reactedTo: Array<Promise<unknown>> = [];
/** Past this many promises in one window, stop noting them: the history becomes "unknown". */
const WINDOW_LIMIT = 10_000;
let windowOverflow = false;
/** Set while we attach our own reactions, which must not count as the program's. */
let ownReaction = false;

const noop = () => {};
const finalizer = FinalizationRegistryCtor ? new FinalizationRegistryCtor<Watch>(forget) : undefined;

function onInit(promise: Promise<unknown>, parent?: Promise<unknown>): void {
  if (ownReaction) return;
  if (windowDepth !== 0) {
    if (created.length < WINDOW_LIMIT) {
      created.push(promise);
      if (parent !== undefined) reactedTo.push(parent);
    } else {
      windowOverflow = true;
    }
  }
  if (watching === 0 || parent === undefined) return;
  const watch = watches.get(parent);
  if (watch === undefined || watch.reacted) return;
  watch.reacted = true;
  watching--;
  watches.delete(parent);
  // Handled late: withdraw the surrogate from the unhandled check, as V8 does for the original.
  if (watch.surrogate) react(watch.surrogate, undefined, noop);
}

function react(promise: Promise<unknown>, onFulfilled: ((value: unknown) => void) | undefined, onRejected: (reason: unknown) => void): void {
  ownReaction = true;
  try {
    promiseThen.call(promise, onFulfilled, onRejected);
  } finally {
    ownReaction = false;
  }
}

function forget(watch: Watch): void {
  if (watch.reacted) return;
  watch.reacted = true;
  watching--;
}

function installHook(): void {
  if (hookInstalled || !hooks) return;
  hookInstalled = true;
  hooks.onInit(onInit);
}

/** Opens a call window; returns the mark to close it with. */
export function openCallWindow(): number {
  if (!hookInstalled) installHook();
  windowDepth++;
  return created.length;
}

/**
 * Closes the window opened at `mark`. For a native promise `result`, says whether its full
 * history is known and the program has not reacted to it yet (`true`: watch it).
 */
export function closeCallWindow(mark: number, result: unknown): boolean {
  windowDepth--;
  let watchable = false;
  if (hooks && !windowOverflow && created.indexOf(result as Promise<unknown>, mark) !== -1) {
    watchable = true;
    for (let i = reactedTo.length - 1; i >= 0 && watchable; i--) if (reactedTo[i] === result) watchable = false;
  }
  // An inner call's promises stay noted until the outermost window closes: the outer call
  // may still react to them, or return one of them.
  if (windowDepth === 0) {
    created.length = 0;
    reactedTo.length = 0;
    windowOverflow = false;
  }
  return watchable;
}

/**
 * Reports `promise`'s outcome to `onFulfilled` / `onRejected` (which must not throw) without
 * changing whether its rejection counts as handled. `watchable` comes from closeCallWindow.
 */
export function observePromise(
  promise: Promise<unknown>,
  watchable: boolean,
  onFulfilled: (value: unknown) => void,
  onRejected: (reason: unknown) => void,
): void {
  // Nested traced calls can return the same promise: one watch speaks for it.
  const watch: Watch = { reacted: !watchable || watches.has(promise), surrogate: undefined };
  react(
    promise,
    (value: unknown) => {
      if (!watch.reacted) {
        watch.reacted = true;
        watching--;
        watches.delete(promise);
      }
      onFulfilled(value);
    },
    (reason: unknown) => {
      if (!watch.reacted) {
        // Untraced, this rejection would now be pending in the unhandled check.
        ownReaction = true;
        watch.surrogate = NativePromise.reject(reason);
        ownReaction = false;
        finalizer?.register(promise, watch);
      }
      onRejected(reason);
    },
  );
  if (!watch.reacted) {
    watches.set(promise, watch);
    watching++;
  }
}
