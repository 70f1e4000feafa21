// @trace
const double = (x: number) => x * 2;
// @trace
const pair = (a: string, b: string) => ({ a, b });

export function run(log: (x: unknown) => void) {
  log(double.name);
  return [double(21), pair('x', 'y')];
}
