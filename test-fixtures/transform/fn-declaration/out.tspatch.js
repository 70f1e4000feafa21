import * as __tw$ from "@tracewright/runtime/inject";
// @trace
function add(a, b) {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "add", undefined, { a, b });
    try {
        return __tw$.exit(__tw$c0, a + b);
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c0, __tw$e);
    }
    __tw$.exit(__tw$c0, undefined);
}
export function run(log) {
    log(add.name);
    log(add.length);
    return add(2, 3);
}
