export function run(log: (x: unknown) => void) {
  let i = 0;
  const kept: number[] = [];
  // @trace
  while (i < 6) {
    i++;
    if (i % 3 === 0) continue;
    if (i === 5) break;
    kept.push(i);
    log(i);
  }
  return kept;
}
