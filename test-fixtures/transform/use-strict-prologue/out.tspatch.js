"use strict";
import * as __tw$ from "@tracewright/runtime/inject";
// @trace
function strictCheck() {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "strictCheck", undefined, {});
    try {
        return __tw$.exit(__tw$c0, this === undefined);
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c0, __tw$e);
    }
    __tw$.exit(__tw$c0, undefined);
}
export function run(log) {
    log('strict');
    return strictCheck();
}
