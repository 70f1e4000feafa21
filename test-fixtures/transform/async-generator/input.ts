// @trace
async function* ticks(n: number) {
  for (let i = 0; i < n; i++) {
    await null;
    yield `tick${i}`;
  }
}

export async function run(log: (x: unknown) => void) {
  const out: string[] = [];
  for await (const t of ticks(3)) {
    log(t);
    out.push(t);
  }
  return out;
}
