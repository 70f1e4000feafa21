import { performance } from 'node:perf_hooks';

// Wall-clock anchor taken once, then advanced by the monotonic clock: span timings stay
// ordered and precise even if the system clock is adjusted mid-trace.
const originNs = BigInt(Math.round((performance.timeOrigin) * 1e6));

/** Nanoseconds since the epoch. */
export function nowNs(): bigint {
  return originNs + BigInt(Math.round(performance.now() * 1e6));
}

/** Milliseconds since the epoch (integer, floored). */
export function nsToMs(ns: bigint): number {
  return Number(ns / 1_000_000n);
}
