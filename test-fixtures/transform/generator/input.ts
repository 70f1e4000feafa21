// @trace
function* countdown(from: number) {
  for (let i = from; i > 0; i--) yield i;
  return 'liftoff';
}

export function run(log: (x: unknown) => void) {
  const all = [...countdown(3)];
  const it = countdown(2);
  log(it.next());
  log(it.next());
  log(it.next());
  return all;
}
