// @trace
function step(n: number) {
  return n * 2;
}

// @trace
export function run(log: (x: unknown) => void) {
  const out: number[] = [];
  // @trace({ name: "batch" })
  for (let n = 0; n < 2; n++) {
    out.push(step(n));
  }
  log(step(100)); // after the loop: a child of run, not of an iteration
  return out;
}
