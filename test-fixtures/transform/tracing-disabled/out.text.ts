import * as __tw$ from "@tracewright/runtime/inject"; import { disableTracing, enableTracing } from '@tracewright/runtime';

// @trace
function work(x: number) { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "work", undefined, { x }); try {
  return __tw$.exit(__tw$c0, x + 1);
} catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); }

export function run(log: (x: unknown) => void) {
  disableTracing();
  const results: number[] = [];
  // @trace
  { let __tw$n0 = 0; for (const n of [1, 2]) { const __tw$i0 = __tw$.iter("for (const n of [1, 2])", undefined, { n, iteration: __tw$n0++ }); try { results.push(work(n)); } catch (__tw$e) { __tw$i0.fail(__tw$e); throw __tw$e; } finally { __tw$i0.end(); } } }
  enableTracing();
  log(results);
  return work(10);
}
