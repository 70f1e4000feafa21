export function run(log: (x: unknown) => void) {
  log(typeof early);
  return early(2);
}

// @trace
function early(n: number): number {
  return n + helper();
  // @trace
  function helper() {
    return 40;
  }
}
