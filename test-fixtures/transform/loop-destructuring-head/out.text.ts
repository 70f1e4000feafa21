import * as __tw$ from "@tracewright/runtime/inject"; export function run(log: (x: unknown) => void) {
  const m = new Map([['a', 1], ['b', 2]]);
  let k = '';
  let v = 0;
  const out: string[] = [];
  // @trace
  { let __tw$n0 = 0; for (const [key, { length: iteration }] of [...m].map(([kk, vv]) => [kk, 'x'.repeat(vv)] as const)) { const __tw$i0 = __tw$.iter("for (const [key, { length: iteration }] of [...m].map(([kk, vv]) => [kk, 'x'.re…", undefined, { key, iteration, _iteration: __tw$n0++ }); try { {
    out.push(`${key}${iteration}`);
  } } catch (__tw$e) { __tw$i0.fail(__tw$e); throw __tw$e; } finally { __tw$i0.end(); } } }
  // @trace
  { let __tw$n1 = 0; for ([k, v] of m) { const __tw$i1 = __tw$.iter("for ([k, v] of m)", undefined, { k, v, iteration: __tw$n1++ }); try { out.push(`${k}=${v}`); } catch (__tw$e) { __tw$i1.fail(__tw$e); throw __tw$e; } finally { __tw$i1.end(); } } }
  log(out);
  return [k, v];
}
