// @trace
function sum(..._unused: number[]) {
  let total = 0;
  for (let i = 0; i < arguments.length; i++) total += arguments[i];
  return total;
}

// @trace
function first(a: number) {
  const inner = () => arguments[0];
  return inner();
}

export function run(log: (x: unknown) => void) {
  log(first(5));
  return sum(1, 2, 3);
}
