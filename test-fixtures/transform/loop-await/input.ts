// @trace(TOOL)
async function fetchItem(id: number) {
  await new Promise((r) => setTimeout(r, 1));
  return `item${id}`;
}

// @trace
function afterLoop() {
  return 'after';
}

// @trace
export async function run(log: (x: unknown) => void) {
  const results: string[] = [];
  // @trace
  for (const id of [1, 2]) {
    const item = await fetchItem(id);
    results.push(item);
    log(item);
  }
  log(afterLoop());
  return results;
}
