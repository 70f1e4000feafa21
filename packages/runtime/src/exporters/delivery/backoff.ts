/** When to try again after a retryable failure, and when to stop trying. */
import { mathRandom } from '../../core/intrinsics.js';
import { wallNowMs } from '../../core/clock.js';

export interface RetryPolicy {
  /** Attempts per item including the first (default 8). */
  maxAttempts: number;
  /** First backoff, doubled per attempt (default 500 ms). */
  initialBackoffMs: number;
  /** Backoff cap (default 10 s). */
  maxBackoffMs: number;
  /**
   * Give up once the backend has been failing for this long without a single success
   * (default 60 s), counted from the first failure of the outage: a server that comes back
   * within the window loses nothing, and a long queue behind a dead one drains in bounded time.
   */
  retryWindowMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  initialBackoffMs: 500,
  maxBackoffMs: 10_000,
  retryWindowMs: 60_000,
};

/**
 * Exponential backoff with "equal jitter" (half fixed, half random) so that many clients
 * recovering from one outage do not retry in lockstep, while the wait still grows.
 * `attempt` is the number of attempts made so far (≥ 1).
 */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number = mathRandom): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * The wait before the next attempt, or undefined to give up. A server's Retry-After wins over
 * our own backoff (it knows when it will be ready), within the retry window.
 */
export function nextRetryDelayMs(
  attempt: number,
  /** Start of the current outage (first failure since the last success). */
  firstFailureAt: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  now = wallNowMs(),
  random?: () => number,
): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  const delay = retryAfterMs ?? backoffDelayMs(attempt, policy, random);
  if (now + delay - firstFailureAt > policy.retryWindowMs) return undefined;
  return delay;
}
