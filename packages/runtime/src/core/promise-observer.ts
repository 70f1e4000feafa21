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
 */
import { promiseHooks as hooks, type PromiseInitHook as InitHook } from '../platform/promise-hooks.js';
import { FinalizationRegistryCtor, NativePromise, promiseThen, WeakMapCtor } from './intrinsics.js';
import { runtimeState, type ContextFrame } from './state.js';

interface Watch {
  /** The program reacted to the promise. */
  reacted: boolean;
  /** The context of the call that made the promise: reactions from inside it are its own awaits. */
  readonly frame: ContextFrame;
  /** Rejected while unreacted: stands in for the promise in Node's unhandled check. */
  surrogate: Promise<unknown> | undefined;
}


const watches = new WeakMapCtor<Promise<unknown>, Watch>();
/** Watches still waiting for a first reaction from the program. */
let watching = 0;
let hookInstalled = false;
let stopHook: (() => void) | undefined;
/** Remove the hook once no watch is left (tracing was disabled). */
let releaseWhenIdle = false;
/** Set while we attach our own reactions, which must not count as the program's. */
let ownReaction = false;
/** False once installing the hook failed (Bun): never tried again. */
let hooksUsable = hooks !== undefined;

const noop = () => {};
const finalizer = FinalizationRegistryCtor ? new FinalizationRegistryCtor<Watch>(forget) : undefined;

function within(frame: ContextFrame | undefined, ancestor: ContextFrame): boolean {
  for (let f = frame; f !== undefined; f = f.caller) if (f === ancestor) return true;
  return false;
}

function onInit(_promise: Promise<unknown>, parent?: Promise<unknown>): void {
  if (watching === 0 || parent === undefined || ownReaction) return;
  const watch = watches.get(parent);
  if (watch === undefined || watch.reacted) return;
  if (within(runtimeState().als.getStore(), watch.frame)) return;
  watch.reacted = true;
  watches.delete(parent);
  unwatch();
  // Handled late: withdraw the surrogate from the unhandled check, as V8 does for the original.
  if (watch.surrogate) react(watch.surrogate, undefined, noop);
}

function unwatch(): void {
  watching--;
  if (watching === 0 && releaseWhenIdle) releaseHook();
}

function releaseHook(): void {
  releaseWhenIdle = false;
  if (!hookInstalled) return;
  hookInstalled = false;
  stopHook?.();
  stopHook = undefined;
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
  }
}

function forget(watch: Watch): void {
  if (watch.reacted) return;
  watch.reacted = true;
  unwatch();
}

/**
 * Reports `promise`'s outcome to `onFulfilled` / `onRejected` (which must not throw) without
 * changing whether its rejection counts as handled. `callFrame`: the promise is the fresh
 * promise of the async function called in that context; undefined: history unknown.
 */
export function observePromise(
  promise: Promise<unknown>,
  callFrame: ContextFrame | undefined,
  onFulfilled: (value: unknown) => void,
  onRejected: (reason: unknown) => void,
): void {
  if (callFrame !== undefined && !hookInstalled && hooksUsable) {
    releaseWhenIdle = false;
    try {
      stopHook = hooks!.onInit(onInit);
      hookInstalled = true;
    } catch {
      // Bun has v8.promiseHooks but its onInit throws "not yet implemented": run as a runtime
      // without hooks (every observed promise treated as handled) instead of failing the call.
      hooksUsable = false;
    }
  }
  const tracked = callFrame !== undefined && hookInstalled;
  const watch: Watch | undefined = tracked ? { reacted: false, frame: callFrame, surrogate: undefined } : undefined;
  react(
    promise,
    (value: unknown) => {
      if (watch && !watch.reacted) {
        watch.reacted = true;
        watches.delete(promise);
        unwatch();
      }
      onFulfilled(value);
    },
    (reason: unknown) => {
      if (watch && !watch.reacted) {
        // Untraced, this rejection would now be pending in the unhandled check.
        ownReaction = true;
        watch.surrogate = NativePromise.reject(reason);
        ownReaction = false;
        finalizer?.register(promise, watch);
      }
      onRejected(reason);
    },
  );
  if (watch) {
    watches.set(promise, watch);
    watching++;
  }
}
