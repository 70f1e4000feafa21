import { disableTracing, enableTracing } from '@tracewright/runtime';

// @trace
function work(x: number) {
  return x + 1;
}

export function run(log: (x: unknown) => void) {
  disableTracing();
  const results: number[] = [];
  // @trace
  for (const n of [1, 2]) results.push(work(n));
  enableTracing();
  log(results);
  return work(10);
}
