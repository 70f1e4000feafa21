// @trace
async function* pages(n: number) {
  // @trace
  for (let page = 1; page <= n; page++) {
    await null;
    yield `page${page}`;
  }
}

export async function run(log: (x: unknown) => void) {
  for await (const p of pages(3)) {
    log(p);
    if (p === 'page2') break;
  }
  return 'ok';
}
