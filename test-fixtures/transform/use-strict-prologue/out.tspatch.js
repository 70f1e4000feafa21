"use strict";
import * as __tw$ from "@tracewright/runtime/inject";
// @trace
function strictCheck() {
    return __tw$.fn("strictCheck", undefined, {}, () => {
        return this === undefined;
    });
}
export function run(log) {
    log('strict');
    return strictCheck();
}
