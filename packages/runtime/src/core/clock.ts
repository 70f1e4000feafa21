import { unfaked } from '../platform/unfaked.js';
import { BigIntCtor } from './intrinsics.js';

// Wall-clock anchor taken once, then advanced by the monotonic clock: span timings stay
// ordered and precise even if the system clock is adjusted mid-trace. The global `performance`
// is node:perf_hooks' own on Node; workerd reports timeOrigin 0, so the anchor comes from Date.
// The originals if a test faked them before the runtime loaded (platform/unfaked.ts).
const performance = unfaked(globalThis.performance, 'performance');
const dateNow = unfaked(Date, 'Date').now;
const originMs = performance.timeOrigin > 0 ? performance.timeOrigin : dateNow() - performance.now();
const originNs = BigIntCtor(Math.round(originMs * 1e6));
const perfNow = performance.now.bind(performance);
const round = Math.round;

/** Nanoseconds since the epoch. */
export function nowNs(): bigint {
  return originNs + BigIntCtor(round(perfNow() * 1e6));
}

/** Milliseconds since the epoch (integer, floored). */
export function nsToMs(ns: bigint): number {
  // Number() then divide: far cheaper than bigint division; the double's ~256 ns granularity
  // at today's epoch cannot move a millisecond floor except within 1 µs of the boundary.
  return Math.floor(Number(ns) / 1e6);
}

/**
 * The monotonic clock's reading (ms since the time origin, fractional): what a live span keeps
 * for its start and end, converted to ns since the epoch (a BigInt) only when read, at export.
 * Also every other timing of the tracer's own (the store's durability point and write slices,
 * search deadlines). Taken at load, as {@link wallNowMs}: a program's spy on `performance.now`
 * or `Date.now` never sees, nor feeds, the tracer's reads, and its fake clock (`vi.useFakeTimers`
 * fakes `Date`) never stops the tracer's waits, deadlines and batching.
 */
export const nowMono: () => number = perfNow;

/** `Date.now()` as it was when the runtime loaded (see {@link nowMono}). */
export const wallNowMs: () => number = dateNow;

/** {@link nowNs} for a reading of {@link nowMono} taken earlier: the same value nowNs gave then. */
export function monoToNs(ms: number): bigint {
  return originNs + BigIntCtor(round(ms * 1e6));
}

/**
 * The ns between two readings of {@link nowMono}, as a whole number: `monoToNs(start)` plus it
 * is exactly `monoToNs(end)`.
 */
export function monoSpanNs(startMs: number, endMs: number): number {
  return round(endMs * 1e6) - round(startMs * 1e6);
}
