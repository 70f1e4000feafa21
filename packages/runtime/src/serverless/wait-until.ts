/**
 * Hands the delivery of this request's traces to the platform, which keeps the instance alive
 * until it is done without delaying the response: Vercel's `waitUntil` (@vercel/functions),
 * Next.js's `after`, a Workers `ctx.waitUntil.bind(ctx)`, or any function taking a promise.
 */
import { settleTraces, type SettleOptions } from './settle.js';

export type WaitUntil = (promise: Promise<unknown>) => void;

export function flushTracesWith(waitUntil: WaitUntil, options?: SettleOptions): void {
  if (typeof waitUntil !== 'function') {
    throw new TypeError('flushTracesWith(waitUntil): expected a function taking a promise (Vercel waitUntil, Next.js after, ctx.waitUntil.bind(ctx))');
  }
  waitUntil(settleTraces(options));
}
