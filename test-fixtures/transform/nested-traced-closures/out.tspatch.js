import * as __tw$ from "@tracewright/runtime/inject";
// @trace
function outer(xs) {
    return __tw$.fn("outer", undefined, { xs }, () => {
        // @trace
        const inner = (x) => __tw$.fn("inner", undefined, { x }, () => x * 2);
        return xs.map(inner);
    });
}
export function run(log) {
    log(outer.name);
    return outer([1, 2]);
}
