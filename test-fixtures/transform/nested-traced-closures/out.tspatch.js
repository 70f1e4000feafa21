import * as __tw$ from "@tracewright/runtime/inject";
// @trace
function outer(xs) {
    const __tw$c0 = __tw$.enter("outer", undefined, { xs });
    try {
        // @trace
        const inner = (x) => {
            const __tw$c1 = __tw$.enter("inner", undefined, { x });
            try {
                return __tw$.exit(__tw$c1, x * 2);
            }
            catch (__tw$e) {
                throw __tw$.fail(__tw$c1, __tw$e);
            }
        };
        return __tw$.exit(__tw$c0, xs.map(inner));
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c0, __tw$e);
    }
    __tw$.exit(__tw$c0, undefined);
}
export function run(log) {
    log(outer.name);
    return outer([1, 2]);
}
