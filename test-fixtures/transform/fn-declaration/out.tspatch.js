import * as __tw$ from "@tracewright/runtime/inject";
// @trace
function add(a, b) {
    return __tw$.fn("add", undefined, { a, b }, () => {
        return a + b;
    });
}
export function run(log) {
    log(add.name);
    log(add.length);
    return add(2, 3);
}
