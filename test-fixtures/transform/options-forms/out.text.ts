import * as __tw$ from "@tracewright/runtime/inject"; import { SpanType } from '@tracewright/runtime';

// @trace(TOOL)
function a() { const __tw$c0 = __tw$.enter("a", "TOOL", {}); try { return __tw$.exit(__tw$c0, 'a'); } catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); }
// @trace(SpanType.RETRIEVER)
function b() { const __tw$c1 = __tw$.enter("b", "RETRIEVER", {}); try { return __tw$.exit(__tw$c1, 'b'); } catch (__tw$e) { throw __tw$.fail(__tw$c1, __tw$e); } __tw$.exit(__tw$c1, undefined); }
// @trace({ name: "fetch_page", spanType: "RETRIEVER", attributes: { k: 1 } })
function c() { const __tw$c2 = __tw$.enter("c", { name: "fetch_page", spanType: "RETRIEVER", attributes: { k: 1 } }, {}); try { return __tw$.exit(__tw$c2, 'c'); } catch (__tw$e) { throw __tw$.fail(__tw$c2, __tw$e); } __tw$.exit(__tw$c2, undefined); }
// @trace("EMBEDDING")
function d() { const __tw$c3 = __tw$.enter("d", "EMBEDDING", {}); try { return __tw$.exit(__tw$c3, 'd'); } catch (__tw$e) { throw __tw$.fail(__tw$c3, __tw$e); } __tw$.exit(__tw$c3, undefined); }
/**
 * JSDoc form.
 * @trace({ name: "jsdoc_traced", spanType: SpanType.PARSER })
 */
function e() { const __tw$c4 = __tw$.enter("e", { name: "jsdoc_traced", spanType: "PARSER" }, {}); try { return __tw$.exit(__tw$c4, 'e'); } catch (__tw$e) { throw __tw$.fail(__tw$c4, __tw$e); } __tw$.exit(__tw$c4, undefined); }
const dynamicName = 'computed_' + 'name';
// @trace({ name: dynamicName })
function f() { const __tw$c5 = __tw$.enter("f", { name: dynamicName }, {}); try { return __tw$.exit(__tw$c5, 'f'); } catch (__tw$e) { throw __tw$.fail(__tw$c5, __tw$e); } __tw$.exit(__tw$c5, undefined); }

export function run(log: (x: unknown) => void) {
  log(SpanType.TOOL);
  return [a(), b(), c(), d(), e(), f()];
}
