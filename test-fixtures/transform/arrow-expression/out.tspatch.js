import * as __tw$ from "@tracewright/runtime/inject";
// @trace
const double = (x) => {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "double", undefined, { x });
    try {
        return __tw$.exit(__tw$c0, x * 2);
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c0, __tw$e);
    }
};
// @trace
const pair = (a, b) => {
    let __tw$c1 = __tw$.context();
    __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "pair", undefined, { a, b });
    try {
        return __tw$.exit(__tw$c1, ({ a, b }));
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c1, __tw$e);
    }
};
export function run(log) {
    log(double.name);
    return [double(21), pair('x', 'y')];
}
