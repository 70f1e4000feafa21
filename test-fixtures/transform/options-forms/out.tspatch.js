import * as __tw$ from "@tracewright/runtime/inject";
import { SpanType } from '@tracewright/runtime';
// @trace(TOOL)
function a() { return __tw$.fn("a", "TOOL", {}, () => {
    return 'a';
}); }
// @trace(SpanType.RETRIEVER)
function b() { return __tw$.fn("b", "RETRIEVER", {}, () => {
    return 'b';
}); }
// @trace({ name: "fetch_page", spanType: "RETRIEVER", attributes: { k: 1 } })
function c() { return __tw$.fn("c", { name: "fetch_page", spanType: "RETRIEVER", attributes: { k: 1 } }, {}, () => {
    return 'c';
}); }
// @trace("EMBEDDING")
function d() { return __tw$.fn("d", "EMBEDDING", {}, () => {
    return 'd';
}); }
/**
 * JSDoc form.
 * @trace({ name: "jsdoc_traced", spanType: SpanType.PARSER })
 */
function e() { return __tw$.fn("e", { name: "jsdoc_traced", spanType: "PARSER" }, {}, () => {
    return 'e';
}); }
const dynamicName = 'computed_' + 'name';
// @trace({ name: dynamicName })
function f() { return __tw$.fn("f", { name: dynamicName }, {}, () => {
    return 'f';
}); }
export function run(log) {
    log(SpanType.TOOL);
    return [a(), b(), c(), d(), e(), f()];
}
