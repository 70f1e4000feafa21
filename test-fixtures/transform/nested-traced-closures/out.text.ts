import * as __tw$ from "@tracewright/runtime/inject"; // @trace
function outer(xs: number[]) { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "outer", undefined, { xs }); try {
  // @trace
  const inner = (x: number) => { let __tw$c1 = __tw$.context(); __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "inner", undefined, { x }); try { return __tw$.exit(__tw$c1, x * 2); } catch (__tw$e) { throw __tw$.fail(__tw$c1, __tw$e); } };
  return __tw$.exit(__tw$c0, xs.map(inner));
} catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); }

export function run(log: (x: unknown) => void) {
  log(outer.name);
  return outer([1, 2]);
}
