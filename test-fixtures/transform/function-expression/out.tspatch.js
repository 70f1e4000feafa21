import * as __tw$ from "@tracewright/runtime/inject";
// @trace
const fact = function factorial(n) {
    return __tw$.fn("fact", undefined, { n }, () => {
        return n <= 1 ? 1 : n * factorial(n - 1);
    });
};
export function run(log) {
    log(fact.name);
    return fact(3);
}
