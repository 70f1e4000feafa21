import * as __tw$ from "@tracewright/runtime/inject"; export function run(log: (x: unknown) => void) {
  const seen: string[] = [];
  // @trace
  { let __tw$n0 = 0; for (const item of ['a', 'b', 'c', 'd']) { const __tw$i0 = __tw$.iter("for (const item of ['a', 'b', 'c', 'd'])", undefined, { item, iteration: __tw$n0++ }); try { {
    if (item === 'c') break;
    log(item);
    seen.push(item);
  } } catch (__tw$e) { __tw$i0.fail(__tw$e); throw __tw$e; } finally { __tw$i0.end(); } } }
  return seen;
}
