import * as __tw$ from "@tracewright/runtime/inject"; // @trace
const fact = function factorial(n: number): number { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "fact", undefined, { n }); try {
  return __tw$.exit(__tw$c0, n <= 1 ? 1 : n * factorial(n - 1));
} catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); };

export function run(log: (x: unknown) => void) {
  log(fact.name);
  return fact(3);
}
