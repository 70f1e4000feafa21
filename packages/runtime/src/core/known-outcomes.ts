/**
 * Thenables whose outcome an integration can tell without running them. The tracer never calls
 * `then` on a thenable that is not a native promise (it may run a query, or parse a response the
 * program never asked for), so a traced function returning one ends its span at return. An
 * integration that made the thenable itself (an SDK's `APIPromise` from a patched call) hands
 * over a native promise of our own that settles with it; the span then follows that instead.
 */
import { promiseThen, WeakMapCtor } from './intrinsics.js';

const outcomes = new WeakMapCtor<object, Promise<unknown>>();
const noop = () => {};

/** Declares that `thenable` settles as `outcome` does (an integration-owned native promise). */
export function setKnownOutcome(thenable: object, outcome: Promise<unknown>): void {
  // Ours alone: its rejection must never surface as the program's unhandled rejection.
  promiseThen.call(outcome, undefined, noop);
  outcomes.set(thenable, outcome);
}

export function knownOutcome(value: object): Promise<unknown> | undefined {
  return outcomes.get(value);
}
