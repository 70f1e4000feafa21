import * as __tw$ from "@tracewright/runtime/inject"; // @trace
const double = (x: number) => __tw$.fn("double", undefined, { x }, () => x * 2);
// @trace
const pair = (a: string, b: string) => __tw$.fn("pair", undefined, { a, b }, () => ({ a, b }));

export function run(log: (x: unknown) => void) {
  log(double.name);
  return [double(21), pair('x', 'y')];
}
