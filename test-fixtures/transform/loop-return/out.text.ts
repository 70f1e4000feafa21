import * as __tw$ from "@tracewright/runtime/inject"; // @trace
function findIndex(items: string[], wanted: string) { return __tw$.fn("findIndex", undefined, { items, wanted }, () => {
  // @trace
  { let __tw$n0 = 0; for (let i = 0; i < items.length; i++) { const __tw$i0 = __tw$.iter("for (let i = 0; i < items.length; i++)", undefined, { i, iteration: __tw$n0++ }); try { {
    if (items[i] === wanted) return i;
  } } catch (__tw$e) { __tw$i0.fail(__tw$e); throw __tw$e; } finally { __tw$i0.end(); } } }
  return -1;
}); }

export function run(log: (x: unknown) => void) {
  log(findIndex(['a', 'b', 'c'], 'z'));
  return findIndex(['a', 'b', 'c'], 'b');
}
