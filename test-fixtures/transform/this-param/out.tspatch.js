import * as __tw$ from "@tracewright/runtime/inject";
// @trace
function scale(value) {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "scale", undefined, { value });
    try {
        return __tw$.exit(__tw$c0, this.factor * value);
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c0, __tw$e);
    }
    __tw$.exit(__tw$c0, undefined);
}
export function run(log) {
    log(scale.length);
    return scale.call({ factor: 3 }, 7);
}
