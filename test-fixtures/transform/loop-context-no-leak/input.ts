// Tracing must not leak a loop iteration's context to the caller while the loop is
// suspended at an await: probe() records, as its span's parent, what was active.

// @trace
function probe(where: string) {
  return where;
}

async function worker(log: (x: unknown) => void) {
  // @trace
  for (const n of [1, 2]) {
    probe(`body ${n}`);
    await new Promise((r) => setTimeout(r, 1));
    probe(`after await ${n}`);
    log(n);
  }
  probe('after loop');
}

export async function run(log: (x: unknown) => void) {
  const p = worker(log);
  probe('caller while worker is suspended');
  await p;
  probe('caller after');
  return 'ok';
}
