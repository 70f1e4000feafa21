export function run(log: (x: unknown) => void) {
  let n = 0;
  // @trace
  do {
    n++;
    log(n);
  } while (n < 3);
  return n;
}
