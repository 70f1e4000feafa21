import * as __tw$ from "@tracewright/runtime/inject"; export function run(log: (x: unknown) => void) {
  log(typeof early);
  return early(2);
}

// @trace
function early(n: number): number { const __tw$c0 = __tw$.enter("early", undefined, { n }); try {
  return __tw$.exit(__tw$c0, n + helper());
  // @trace
  function helper() { const __tw$c1 = __tw$.enter("helper", undefined, {}); try {
    return __tw$.exit(__tw$c1, 40);
  } catch (__tw$e) { throw __tw$.fail(__tw$c1, __tw$e); } __tw$.exit(__tw$c1, undefined); }
} catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); }
