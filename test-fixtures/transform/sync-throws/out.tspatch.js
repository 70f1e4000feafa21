import * as __tw$ from "@tracewright/runtime/inject";
const sentinel = new TypeError('bad input');
// @trace
function validate(input) {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "validate", undefined, { input });
    try {
        if (typeof input !== 'string')
            throw sentinel;
        return __tw$.exit(__tw$c0, input);
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c0, __tw$e);
    }
    __tw$.exit(__tw$c0, undefined);
}
export function run(log) {
    log(validate('ok'));
    try {
        validate(42);
    }
    catch (e) {
        log(e === sentinel);
    }
    return 'done';
}
