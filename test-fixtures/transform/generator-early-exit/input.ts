// @trace
function* naturals() {
  let n = 0;
  try {
    while (true) yield n++;
  } finally {
    cleanup.push('closed');
  }
}
const cleanup: string[] = [];

export function run(log: (x: unknown) => void) {
  for (const n of naturals()) {
    log(n);
    if (n === 2) break;
  }
  const it = naturals();
  it.next();
  log(it.return(99 as never));
  return cleanup;
}
