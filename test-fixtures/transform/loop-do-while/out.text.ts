import * as __tw$ from "@tracewright/runtime/inject"; export function run(log: (x: unknown) => void) {
  let n = 0;
  // @trace
  { let __tw$n0 = 0; do { const __tw$i0 = __tw$.iter("do…while (n < 3)", undefined, { iteration: __tw$n0++ }); try { {
    n++;
    log(n);
  } } catch (__tw$e) { __tw$i0.fail(__tw$e); throw __tw$e; } finally { __tw$i0.end(); } } while (n < 3); }
  return n;
}
