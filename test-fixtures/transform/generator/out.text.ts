import * as __tw$ from "@tracewright/runtime/inject"; // @trace
function* countdown(from: number) { return yield* __tw$.gen("countdown", undefined, { from }, function* () {
  for (let i = from; i > 0; i--) yield i;
  return 'liftoff';
}.call(this)); }

export function run(log: (x: unknown) => void) {
  const all = [...countdown(3)];
  const it = countdown(2);
  log(it.next());
  log(it.next());
  log(it.next());
  return all;
}
