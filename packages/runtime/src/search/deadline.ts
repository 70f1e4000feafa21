/**
 * The time budget of one search. Scanning loops call the returned check once per trace; past
 * the budget it throws SearchTimeoutError. The check is cooperative: a single trace is never
 * interrupted, which is why matching itself must be linear-time (RE2, limits.ts).
 */
import { FilterSyntaxError } from './errors.js';
import { nowMono } from '../core/clock.js';

export const DEFAULT_SEARCH_TIMEOUT_MS = 10_000;

/** A search ran past its `timeoutMs` budget. Nothing was returned; no state was changed. */
export class SearchTimeoutError extends Error {
  override readonly name = 'SearchTimeoutError';
  /** MLflow's error code for a request that ran out of time. */
  readonly errorCode = 'DEADLINE_EXCEEDED';

  constructor(
    readonly timeoutMs: number,
    /** Traces examined before the budget ran out, and how many there were to examine. */
    readonly scanned: number,
    readonly total: number | undefined,
  ) {
    super(
      `searchTraces: the search exceeded its time budget of ${timeoutMs} ms after examining ${scanned}` +
        `${total === undefined ? '' : ` of ${total}`} traces. Narrow the filter (an equality on a tag or on ` +
        'metadata user/session/run uses the index), or pass a larger timeoutMs.',
    );
  }
}

/** `timeoutMs`: a positive number of milliseconds (Infinity: no budget); default 10 s. */
export function validateTimeoutMs(timeoutMs: number | undefined): number {
  if (timeoutMs === undefined) return DEFAULT_SEARCH_TIMEOUT_MS;
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs <= 0) {
    const text = String(timeoutMs);
    throw new FilterSyntaxError(`Invalid value ${text} for 'timeoutMs': it must be a positive number of milliseconds`, text, 0, text, 'timeoutMs');
  }
  return timeoutMs;
}

export type DeadlineCheck = () => void;

/** Starts the clock; each call of the result counts one trace and throws once the budget is spent. */
export function startDeadline(timeoutMs: number, total?: number): DeadlineCheck {
  if (timeoutMs === Infinity) return () => {};
  const end = nowMono() + timeoutMs;
  let scanned = 0;
  return () => {
    if (nowMono() > end) throw new SearchTimeoutError(timeoutMs, scanned, total);
    scanned++;
  };
}
