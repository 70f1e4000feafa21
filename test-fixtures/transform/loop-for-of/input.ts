export function run(log: (x: unknown) => void) {
  const seen: string[] = [];
  // @trace
  for (const item of ['a', 'b', 'c', 'd']) {
    if (item === 'c') break;
    log(item);
    seen.push(item);
  }
  return seen;
}
