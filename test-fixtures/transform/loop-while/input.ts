export function run(log: (x: unknown) => void) {
  const queue = [3, 1, 2];
  let processed = 0;
  // @trace({ name: "drain" })
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (next === 2) break;
    log(next);
    processed++;
  }
  return [processed, queue];
}
