export function run(log: (x: unknown) => void) {
  let total = 0;
  // @trace
  for (let i = 0; i < 5; i++) {
    if (i % 2 === 1) continue;
    total += i;
    log(i);
  }
  return total;
}
