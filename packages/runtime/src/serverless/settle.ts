/**
 * What a short-lived platform must wait for before it freezes or ends the instance: every trace
 * in progress finished (a streamed response's span ends when its body is consumed or
 * cancelled) and every finished trace delivered. Never rejects.
 */
import { flushTraces } from '../api/control.js';
import { reportInternalError } from '../core/diagnostics.js';
import { tracesInProgress } from '../core/trace-buffer.js';
import { setTimer } from '../platform/timers.js';
import { wallNowMs } from '../core/clock.js';

export interface SettleOptions {
  /**
   * How long to wait for traces still in progress, ms (default 25,000: inside the 30 s that
   * Cloudflare's waitUntil and Vercel's grant). Past it what is finished is delivered and the
   * rest stays in memory (exported later if the instance lives on).
   */
  maxWaitMs?: number;
}

const POLL_MS = 10;

function waitForTracesInProgress(maxWaitMs: number): Promise<void> {
  if (tracesInProgress() === 0) return Promise.resolve();
  const until = wallNowMs() + maxWaitMs;
  return new Promise((resolve) => {
    const check = () => {
      if (tracesInProgress() === 0 || wallNowMs() >= until) resolve();
      else setTimer(check, POLL_MS);
    };
    setTimer(check, POLL_MS);
  });
}

/** Resolves once traces in progress have finished (or `maxWaitMs` passed) and all finished ones are delivered. */
export async function settleTraces(options: SettleOptions = {}): Promise<void> {
  const maxWaitMs = options.maxWaitMs ?? 25_000;
  if (!Number.isFinite(maxWaitMs) || maxWaitMs < 0) {
    throw new RangeError(`settleTraces: "maxWaitMs" must be a non-negative number of milliseconds, got ${String(maxWaitMs)}`);
  }
  try {
    await waitForTracesInProgress(maxWaitMs);
  } catch (error) {
    reportInternalError('settle traces', error);
  }
  await flushTraces();
}
