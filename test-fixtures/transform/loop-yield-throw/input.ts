// A generator resumed with throw() while suspended at a yield inside a traced loop body.

// @trace
function probe(where: string) {
  return where;
}

function* worker(items: string[]) {
  // @trace
  for (const item of items) {
    try {
      yield item;
    } catch (e) {
      probe(`recovered ${item}`);
      yield `error:${(e as Error).message}`;
    }
  }
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
