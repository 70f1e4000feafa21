// A CommonJS module (.cts): the runtime is required, and a directive argument naming an
// exported binding still works after TypeScript rewrites it to `exports.LABEL`.
export const LABEL = 'squares';

// @trace
function square(n: number) {
  return n * n;
}

export function run(log: (x: unknown) => void) {
  const results: number[] = [];
  // @trace({ name: LABEL })
  for (const n of [2, 3]) results.push(square(n));
  log(typeof require);
  return results;
}
