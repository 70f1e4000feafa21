// probe() records where it was called from: its parent span shows the active context.
// @trace
function probe(where: string) {
  return where;
}

// @trace
function* batches(items: number[]) {
  // @trace
  for (const item of items) {
    const reply: unknown = yield item * 10;
    probe(`resumed after ${item}`);
    if (reply === 'stop') return 'stopped';
  }
  return 'exhausted';
}

// An untraced generator: the iteration context must still not leak to the consumer.
function* plain(items: string[]) {
  // @trace
  for (const item of items) {
    yield item;
    probe(`plain resumed after ${item}`);
  }
}

export function run(log: (x: unknown) => void) {
  const it = batches([1, 2, 3]);
  log(it.next());
  probe('consumer between steps');
  log(it.next('go'));
  log(it.next('stop'));
  const it2 = batches([4, 5]);
  log(it2.next());
  log(it2.return('early' as never));
  const p = plain(['a', 'b']);
  log(p.next());
  probe('consumer while plain is suspended');
  log([...p]);
  return [...batches([7])];
}
