import * as __tw$ from "@tracewright/runtime/inject"; // A generator resumed with throw() while suspended at a yield inside a traced loop body.

// @trace
function probe(where: string) { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "probe", undefined, { where }); try {
  return __tw$.exit(__tw$c0, where);
} catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); }

function* worker(items: string[]) {
  // @trace
  { let __tw$n0 = 0; for (const item of items) { const __tw$i0 = __tw$.iter("for (const item of items)", undefined, { item, iteration: __tw$n0++ }); try { {
    try {
      __tw$.back(yield __tw$.leave(item, __tw$i0), __tw$i0);
    } catch (e) { __tw$.back(undefined, __tw$i0);
      probe(`recovered ${item}`);
      __tw$.back(yield __tw$.leave(`error:${(e as Error).message}`, __tw$i0), __tw$i0);
    }
  } } catch (__tw$e) { __tw$i0.fail(__tw$e); throw __tw$e; } finally { __tw$i0.end(); } } }
}

export function run(log: (x: unknown) => void) {
  const it = worker(['a', 'b']);
  log(it.next());
  log(it.throw(new Error('bad a')));
  probe('consumer');
  log(it.next());
  log(it.next());
  log(it.next());
  return 'done';
}
