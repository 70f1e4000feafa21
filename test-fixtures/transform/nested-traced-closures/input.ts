// @trace
function outer(xs: number[]) {
  // @trace
  const inner = (x: number) => x * 2;
  return xs.map(inner);
}

export function run(log: (x: unknown) => void) {
  log(outer.name);
  return outer([1, 2]);
}
