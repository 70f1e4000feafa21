import * as __tw$ from "@tracewright/runtime/inject"; // @trace(CHAIN)
async function pipeline(docs: string[]) { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "pipeline", "CHAIN", { docs }); let __tw$r0, __tw$h0; try {
  const out: number[] = [];
  // @trace(PARSER)
  { let __tw$n0 = 0; for (const doc of docs) { const __tw$i0 = __tw$.iter("for (const doc of docs)", "PARSER", { doc, iteration: __tw$n0++ }); try { {
    __tw$.back(__tw$.back(await __tw$.leave(__tw$.leave(__tw$h0 = null, __tw$i0), __tw$c0), __tw$c0), __tw$i0);
    out.push(doc.length);
  } } catch (__tw$e) { __tw$i0.fail(__tw$e); throw __tw$e; } finally { __tw$i0.end(); } } }
  return (__tw$r0 = out);
__tw$r0 = undefined; } catch (__tw$e) { __tw$r0 = __tw$c0; try { __tw$e = __tw$.fail(__tw$c0, __tw$e, __tw$h0); } catch { if (__tw$h0 !== undefined) try { await __tw$h0; } catch {} } throw __tw$e; } finally { if (__tw$r0 !== __tw$c0) __tw$.exit(__tw$c0, __tw$r0); } }

export async function run(log: (x: unknown) => void) {
  const r = await pipeline(['ab', 'cde']);
  log(r);
  return r;
}
