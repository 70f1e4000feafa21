/**
 * Tracer work that a traced call at the stack limit could not do: ending its span, withdrawing
 * a span it had begun, handing its finished trace to the destination. Where not even a function
 * call is possible (only stores), the site appends a thunk here; the next traced call that
 * returns with stack to spare runs them, in order, before its own end — and so do flushTraces()
 * and the process end — so the trace is written, never left open or lost.
 */
import { reportInternalError } from './diagnostics.js';

export const leftovers: Array<() => void> = [];

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError;
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

/** Appends `work` if `failure` is the stack running out; any other failure is reported now. */
export function leaveForLater(work: () => void, failure: unknown): void {
  if (!isStackOverflow(failure)) return reportQuietly('end span', failure);
  try {
    leftovers.push(work);
  } catch {
    reportQuietly('end span', failure);
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
