import * as __tw$ from "@tracewright/runtime/inject"; export function run(log: (x: unknown) => void) {
  let total = 0;
  // @trace
  { let __tw$n0 = 0; for (let i = 0; i < 5; i++) { const __tw$i0 = __tw$.iter("for (let i = 0; i < 5; i++)", undefined, { i, iteration: __tw$n0++ }); try { {
    if (i % 2 === 1) continue;
    total += i;
    log(i);
  } } catch (__tw$e) { __tw$i0.fail(__tw$e); throw __tw$e; } finally { __tw$i0.end(); } } }
  return total;
}
