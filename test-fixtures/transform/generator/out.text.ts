import * as __tw$ from "@tracewright/runtime/inject"; // @trace
function* countdown(from: number) { const __tw$c0 = __tw$.genEnter("countdown", undefined, { from }); let __tw$r0; try {
  for (let i = from; i > 0; i--) __tw$.gback(yield __tw$.yielded(i, __tw$c0), __tw$c0);
  return 'liftoff';
} catch (__tw$e) { __tw$r0 = __tw$c0; throw __tw$.genFail(__tw$c0, __tw$e); } finally { if (__tw$r0 !== __tw$c0) __tw$.genEnd(__tw$c0); } }

export function run(log: (x: unknown) => void) {
  const all = [...countdown(3)];
  const it = countdown(2);
  log(it.next());
  log(it.next());
  log(it.next());
  return all;
}
