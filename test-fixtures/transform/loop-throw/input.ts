export function run(log: (x: unknown) => void) {
  try {
    // @trace
    for (const n of [1, 2, 3]) {
      log(n);
      if (n === 2) throw new Error(`failed at ${n}`);
    }
  } catch (e) {
    log((e as Error).message);
  }
  return 'recovered';
}
