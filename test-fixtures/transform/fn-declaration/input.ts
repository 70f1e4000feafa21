// @trace
function add(a: number, b: number): number {
  return a + b;
}

export function run(log: (x: unknown) => void) {
  log(add.name);
  log(add.length);
  return add(2, 3);
}
