async function* source() {
  yield 'x';
  await null;
  yield 'y';
}

// @trace
function handle(v: string) {
  return v.toUpperCase();
}

export async function run(log: (x: unknown) => void) {
  const out: string[] = [];
  // @trace
  for await (const value of source()) {
    out.push(handle(value));
    log(value);
  }
  return out;
}
