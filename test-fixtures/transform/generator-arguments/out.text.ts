import * as __tw$ from "@tracewright/runtime/inject"; class Seq {
  constructor(private step: number) {}
  // @trace
  *range(start: number, end: number) { return yield* __tw$.gen("range", undefined, { start, end }, function* () {
    log2(arguments.length);
    for (let i = start; i < end; i += this.step) yield i;
  }.apply(this, arguments)); }
}
const seen: unknown[] = [];
const log2 = (x: unknown) => seen.push(x);

export function run(log: (x: unknown) => void) {
  const s = new Seq(2);
  const r = [...s.range(0, 6)];
  log(seen);
  return r;
}
