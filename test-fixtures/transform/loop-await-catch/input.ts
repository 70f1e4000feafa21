// A rejected await caught inside the traced loop body: the handler must run inside the
// iteration (probe's parent), and the loop carries on.

// @trace
function probe(where: string) {
  return where;
}

async function flaky(n: number) {
  await null;
  if (n === 2) throw new Error(`flaky ${n}`);
  return n;
}

export async function run(log: (x: unknown) => void) {
  const got: unknown[] = [];
  // @trace
  for (const n of [1, 2, 3]) {
    try {
      got.push(await flaky(n));
    } catch (e) {
      probe(`caught in iteration ${n}`);
      log((e as Error).message);
    } finally {
      probe(`finally ${n}`);
    }
  }
  probe('after loop');
  return got;
}
