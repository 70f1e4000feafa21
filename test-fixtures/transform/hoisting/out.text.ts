import * as __tw$ from "@tracewright/runtime/inject"; export function run(log: (x: unknown) => void) {
  log(typeof early);
  return early(2);
}

// @trace
function early(n: number): number { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "early", undefined, { n }); try {
  return __tw$.exit(__tw$c0, n + helper());
  // @trace
  function helper() { let __tw$c1 = __tw$.context(); __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "helper", undefined, {}); try {
    return __tw$.exit(__tw$c1, 40);
  } catch (__tw$e) { throw __tw$.fail(__tw$c1, __tw$e); } __tw$.exit(__tw$c1, undefined); }
} catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); }
