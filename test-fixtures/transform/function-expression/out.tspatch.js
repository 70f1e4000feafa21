import * as __tw$ from "@tracewright/runtime/inject";
// @trace
const fact = function factorial(n) {
    const __tw$c0 = __tw$.enter("fact", undefined, { n });
    try {
        return __tw$.exit(__tw$c0, n <= 1 ? 1 : n * factorial(n - 1));
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c0, __tw$e);
    }
    __tw$.exit(__tw$c0, undefined);
};
export function run(log) {
    log(fact.name);
    return fact(3);
}
