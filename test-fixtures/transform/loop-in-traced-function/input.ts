// @trace(CHAIN)
async function pipeline(docs: string[]) {
  const out: number[] = [];
  // @trace(PARSER)
  for (const doc of docs) {
    await null;
    out.push(doc.length);
  }
  return out;
}

export async function run(log: (x: unknown) => void) {
  const r = await pipeline(['ab', 'cde']);
  log(r);
  return r;
}
