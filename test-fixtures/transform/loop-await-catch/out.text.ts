import * as __tw$ from "@tracewright/runtime/inject"; // A rejected await caught inside the traced loop body: the handler must run inside the
// iteration (probe's parent), and the loop carries on.

// @trace
function probe(where: string) { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "probe", undefined, { where }); try {
  return __tw$.exit(__tw$c0, where);
} catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); }

async function flaky(n: number) {
  await null;
  if (n === 2) throw new Error(`flaky ${n}`);
  return n;
}

export async function run(log: (x: unknown) => void) {
  const got: unknown[] = [];
  // @trace
  { let __tw$n0 = 0; for (const n of [1, 2, 3]) { const __tw$i0 = __tw$.iter("for (const n of [1, 2, 3])", undefined, { n, iteration: __tw$n0++ }); try { {
    try {
      got.push(__tw$.back(await __tw$.leave(flaky(n), __tw$i0), __tw$i0));
    } catch (e) { __tw$.back(undefined, __tw$i0);
      probe(`caught in iteration ${n}`);
      log((e as Error).message);
    } finally { __tw$.back(undefined, __tw$i0);
      probe(`finally ${n}`);
    }
  } } catch (__tw$e) { __tw$i0.fail(__tw$e); throw __tw$e; } finally { __tw$i0.end(); } } }
  probe('after loop');
  return got;
}
