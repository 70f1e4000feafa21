import * as __tw$ from "@tracewright/runtime/inject";
import { SpanType } from '@tracewright/runtime';
// @trace(TOOL)
function a() { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "a", "TOOL", {}); try {
    return __tw$.exit(__tw$c0, 'a');
}
catch (__tw$e) {
    throw __tw$.fail(__tw$c0, __tw$e);
} __tw$.exit(__tw$c0, undefined); }
// @trace(SpanType.RETRIEVER)
function b() { let __tw$c1 = __tw$.context(); __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "b", "RETRIEVER", {}); try {
    return __tw$.exit(__tw$c1, 'b');
}
catch (__tw$e) {
    throw __tw$.fail(__tw$c1, __tw$e);
} __tw$.exit(__tw$c1, undefined); }
// @trace({ name: "fetch_page", spanType: "RETRIEVER", attributes: { k: 1 } })
function c() { let __tw$c2 = __tw$.context(); __tw$c2 = __tw$c2 === null ? undefined : __tw$.enterIn(__tw$c2, "c", { name: "fetch_page", spanType: "RETRIEVER", attributes: { k: 1 } }, {}); try {
    return __tw$.exit(__tw$c2, 'c');
}
catch (__tw$e) {
    throw __tw$.fail(__tw$c2, __tw$e);
} __tw$.exit(__tw$c2, undefined); }
// @trace("EMBEDDING")
function d() { let __tw$c3 = __tw$.context(); __tw$c3 = __tw$c3 === null ? undefined : __tw$.enterIn(__tw$c3, "d", "EMBEDDING", {}); try {
    return __tw$.exit(__tw$c3, 'd');
}
catch (__tw$e) {
    throw __tw$.fail(__tw$c3, __tw$e);
} __tw$.exit(__tw$c3, undefined); }
/**
 * JSDoc form.
 * @trace({ name: "jsdoc_traced", spanType: SpanType.PARSER })
 */
function e() { let __tw$c4 = __tw$.context(); __tw$c4 = __tw$c4 === null ? undefined : __tw$.enterIn(__tw$c4, "e", { name: "jsdoc_traced", spanType: "PARSER" }, {}); try {
    return __tw$.exit(__tw$c4, 'e');
}
catch (__tw$e) {
    throw __tw$.fail(__tw$c4, __tw$e);
} __tw$.exit(__tw$c4, undefined); }
const dynamicName = 'computed_' + 'name';
// @trace({ name: dynamicName })
function f() { let __tw$c5 = __tw$.context(); __tw$c5 = __tw$c5 === null ? undefined : __tw$.enterIn(__tw$c5, "f", { name: dynamicName }, {}); try {
    return __tw$.exit(__tw$c5, 'f');
}
catch (__tw$e) {
    throw __tw$.fail(__tw$c5, __tw$e);
} __tw$.exit(__tw$c5, undefined); }
export function run(log) {
    log(SpanType.TOOL);
    return [a(), b(), c(), d(), e(), f()];
}
