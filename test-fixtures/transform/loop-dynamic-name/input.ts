export function run(log: (x: unknown) => void) {
  const items = [{ id: 'a1', size: 2 }, { id: 'b2', size: 5 }];
  let total = 0;
  // @trace({ name: `process_${item.id}`, attributes: { size: item.size } })
  for (const item of items) {
    total += item.size;
  }
  log(total);
  return total;
}
