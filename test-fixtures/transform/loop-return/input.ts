// @trace
function findIndex(items: string[], wanted: string) {
  // @trace
  for (let i = 0; i < items.length; i++) {
    if (items[i] === wanted) return i;
  }
  return -1;
}

export function run(log: (x: unknown) => void) {
  log(findIndex(['a', 'b', 'c'], 'z'));
  return findIndex(['a', 'b', 'c'], 'b');
}
