const __tw$ = require("@tracewright/runtime/inject"); // A CommonJS module (.cts): the runtime is required, and a directive argument naming an
// exported binding still works after TypeScript rewrites it to `exports.LABEL`.
export const LABEL = 'squares';

// @trace
function square(n: number) { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "square", undefined, { n }); try {
  return __tw$.exit(__tw$c0, n * n);
} catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); }

export function run(log: (x: unknown) => void) {
  const results: number[] = [];
  // @trace({ name: LABEL })
  { let __tw$n0 = 0; for (const n of [2, 3]) { const __tw$i0 = __tw$.iter("for (const n of [2, 3])", { name: LABEL }, { n, iteration: __tw$n0++ }); try { results.push(square(n)); } catch (__tw$e) { __tw$i0.fail(__tw$e); throw __tw$e; } finally { __tw$i0.end(); } } }
  log(typeof require);
  return results;
}
