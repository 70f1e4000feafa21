class Seq {
  constructor(private step: number) {}
  // @trace
  *range(start: number, end: number) {
    log2(arguments.length);
    for (let i = start; i < end; i += this.step) yield i;
  }
}
const seen: unknown[] = [];
const log2 = (x: unknown) => seen.push(x);

export function run(log: (x: unknown) => void) {
  const s = new Seq(2);
  const r = [...s.range(0, 6)];
  log(seen);
  return r;
}
