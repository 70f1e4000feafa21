import * as __tw$ from "@tracewright/runtime/inject";
// @trace
const double = (x) => __tw$.fn("double", undefined, { x }, () => x * 2);
// @trace
const pair = (a, b) => __tw$.fn("pair", undefined, { a, b }, () => ({ a, b }));
export function run(log) {
    log(double.name);
    return [double(21), pair('x', 'y')];
}
