import { SpanType } from '@tracewright/runtime';

// @trace(TOOL)
function a() { return 'a'; }
// @trace(SpanType.RETRIEVER)
function b() { return 'b'; }
// @trace({ name: "fetch_page", spanType: "RETRIEVER", attributes: { k: 1 } })
function c() { return 'c'; }
// @trace("EMBEDDING")
function d() { return 'd'; }
/**
 * JSDoc form.
 * @trace({ name: "jsdoc_traced", spanType: SpanType.PARSER })
 */
function e() { return 'e'; }
const dynamicName = 'computed_' + 'name';
// @trace({ name: dynamicName })
function f() { return 'f'; }

export function run(log: (x: unknown) => void) {
  log(SpanType.TOOL);
  return [a(), b(), c(), d(), e(), f()];
}
