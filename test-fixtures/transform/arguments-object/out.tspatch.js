import * as __tw$ from "@tracewright/runtime/inject";
// @trace
function sum(..._unused) {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "sum", undefined, { _unused });
    try {
        let total = 0;
        for (let i = 0; i < arguments.length; i++)
            total += arguments[i];
        return __tw$.exit(__tw$c0, total);
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c0, __tw$e);
    }
    __tw$.exit(__tw$c0, undefined);
}
// @trace
function first(a) {
    let __tw$c1 = __tw$.context();
    __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "first", undefined, { a });
    try {
        const inner = () => arguments[0];
        return __tw$.exit(__tw$c1, inner());
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c1, __tw$e);
    }
    __tw$.exit(__tw$c1, undefined);
}
export function run(log) {
    log(first(5));
    return sum(1, 2, 3);
}
