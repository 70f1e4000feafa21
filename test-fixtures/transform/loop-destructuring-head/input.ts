export function run(log: (x: unknown) => void) {
  const m = new Map([['a', 1], ['b', 2]]);
  let k = '';
  let v = 0;
  const out: string[] = [];
  // @trace
  for (const [key, { length: iteration }] of [...m].map(([kk, vv]) => [kk, 'x'.repeat(vv)] as const)) {
    out.push(`${key}${iteration}`);
  }
  // @trace
  for ([k, v] of m) out.push(`${k}=${v}`);
  log(out);
  return [k, v];
}
