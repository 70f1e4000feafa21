// @trace
const fact = function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
};

export function run(log: (x: unknown) => void) {
  log(fact.name);
  return fact(3);
}
