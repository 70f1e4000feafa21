/**
 * Tracer work that a traced call at the stack limit could not do: ending its span, withdrawing
 * a span it had begun, handing its finished trace to the destination. Where not even a function
 * call is possible (only stores), the site appends a thunk here; the next traced call that
 * returns with stack to spare runs them, in order, before its own end — and so do flushTraces()
 * and the process end — so the trace is written, never left open or lost.
 */
import { inheritsFromProxy } from './data-property.js';
import { reportInternalError } from './diagnostics.js';
import { isProxy } from './intrinsics.js';

export const leftovers: Array<() => void> = [];

const RangeErrorCtor = RangeError;

/**
 * The stack running out (what V8 throws is a RangeError). Also asked of the program's own errors:
 * a Proxy, or an object inheriting from one, is never asked (instanceof would run its
 * getPrototypeOf trap).
 */
export function isStackOverflow(error: unknown): boolean {
  return typeof error === 'object' && error !== null && !isProxy(error) && !inheritsFromProxy(error) && error instanceof RangeErrorCtor;
}

/**
 * Runs the leftovers. Out of stack again, it throws (the caller keeps them for the next return);
 * any other failure is reported and that leftover dropped, so one can never stall the rest.
 */
export function runLeftovers(): void {
  while (leftovers.length !== 0) {
    try {
      leftovers[0]!();
    } catch (failure) {
      if (isStackOverflow(failure)) throw failure;
      reportQuietly('end span', failure);
    }
    leftovers.shift();
  }
}

/** reportInternalError, which itself can overflow at the stack limit: never into user code. */
export function reportQuietly(site: string, error: unknown): void {
  try {
    reportInternalError(site, error);
  } catch {
    // Nothing left to report with.
  }
}

/** For flushTraces() and the process end, which run with stack to spare. */
export function runLeftoversQuietly(): void {
  try {
    runLeftovers();
  } catch (failure) {
    reportQuietly('end span', failure);
  }
}
