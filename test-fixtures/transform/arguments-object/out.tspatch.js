import * as __tw$ from "@tracewright/runtime/inject";
// @trace
function sum(..._unused) {
    return __tw$.fn("sum", undefined, { _unused }, () => {
        let total = 0;
        for (let i = 0; i < arguments.length; i++)
            total += arguments[i];
        return total;
    });
}
// @trace
function first(a) {
    return __tw$.fn("first", undefined, { a }, () => {
        const inner = () => arguments[0];
        return inner();
    });
}
export function run(log) {
    log(first(5));
    return sum(1, 2, 3);
}
