export function run(log: (x: unknown) => void) {
  const pairs: string[] = [];
  // @trace
  outer: for (const a of [1, 2, 3]) {
    // @trace
    inner: for (const b of [1, 2, 3]) {
      if (b === 2) continue outer;
      if (a === 3) break outer;
      if (a === b) continue inner;
      pairs.push(`${a}${b}`);
      log(`${a}${b}`);
    }
  }
  return pairs;
}
