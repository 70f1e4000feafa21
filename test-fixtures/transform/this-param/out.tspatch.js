import * as __tw$ from "@tracewright/runtime/inject";
// @trace
function scale(value) {
    const __tw$c0 = __tw$.enter("scale", undefined, { value });
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
