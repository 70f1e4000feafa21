import * as __tw$ from "@tracewright/runtime/inject";
//@trace
function compact() { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "compact", undefined, {}); try {
    return __tw$.exit(__tw$c0, 1);
}
catch (__tw$e) {
    throw __tw$.fail(__tw$c0, __tw$e);
} __tw$.exit(__tw$c0, undefined); }
// @tracer is not a directive
function notTraced() { return 2; }
const x = notTraced(); // @trace
function trailingNotAttached() { return 3; }
// @trace
function blankLineGap() { return 4; }
// @trace
// a plain comment between the directive and the function is fine
function commentBetween() { let __tw$c1 = __tw$.context(); __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "commentBetween", undefined, {}); try {
    return __tw$.exit(__tw$c1, 5);
}
catch (__tw$e) {
    throw __tw$.fail(__tw$c1, __tw$e);
} __tw$.exit(__tw$c1, undefined); }
const s = '// @trace inside a string is not a directive';
export function run(log) {
    log(s);
    return [compact(), x, trailingNotAttached(), blankLineGap(), commentBetween()];
}
