// `await using` in an async function traced inline (issue 12): the disposals' implicit awaits
// add no microtask turn (the function's promise settles on the same turn as untraced), the
// caller never sees the span as active while the function is suspended at a disposal, and the
// span ends after every disposal. probe() records, as its span's parent, what was active.

// @trace
function probe(where: string) {
  return where;
}

class Resource implements AsyncDisposable {
  constructor(
    readonly name: string,
    private readonly log: string[],
    private readonly failing = false,
  ) {}
  async [Symbol.asyncDispose]() {
    this.log.push(`dispose ${this.name}`);
    await null;
    if (this.failing) throw new Error(`dispose ${this.name} failed`);
  }
}

class SyncResource implements Disposable {
  constructor(
    readonly name: string,
    private readonly log: string[],
  ) {}
  [Symbol.dispose]() {
    this.log.push(`dispose ${this.name}`);
  }
}

// The first suspension is a disposal: no await before it.
// @trace
async function disposesFirst(log: string[]) {
  await using a = new Resource('a', log);
  probe('body');
  return log.length;
}

// @trace
async function nestedBlock(log: string[]) {
  await null;
  {
    await using b = new Resource('b', log);
    using c = new SyncResource('c', log);
    await using d = new Resource('d', log);
    log.push('block body');
  }
  probe('after block');
  return [...log];
}

// @trace
async function disposalFails(log: string[]) {
  try {
    await using e = new Resource('e', log, true);
    log.push('try body');
  } catch (error) {
    probe(`caught ${(error as Error).message}`);
  }
  return 'recovered';
}

// @trace
async function nullResource(log: string[]) {
  await using none = null;
  await using f = new Resource('f', log);
  log.push('with null');
  return 'null ok';
}

/** Microtask turns until `p` settles, counted from the call (the untransformed run logs the same). */
async function turnsUntilSettled(p: Promise<unknown>): Promise<number> {
  let settled = false;
  p.then(() => (settled = true), () => (settled = true));
  let turns = 0;
  while (!settled) {
    await null;
    turns++;
  }
  return turns;
}

export async function run(log: (x: unknown) => void) {
  const scratch: string[] = [];
  // (Not for nullResource: how many turns a null resource takes differs between TypeScript's and
  // esbuild's downlevel helpers, which the ts-patch and untransformed runs use.)
  log(['turns: disposal first, nested block, failing disposal', await turnsUntilSettled(disposesFirst(scratch)), await turnsUntilSettled(nestedBlock(scratch)), await turnsUntilSettled(disposalFails(scratch))]);
  const order: string[] = [];
  const p = disposesFirst(order);
  probe('caller while disposesFirst is suspended at its disposal');
  order.push('caller');
  log(await p);
  log(await nestedBlock(order));
  log(await disposalFails(order));
  log(await nullResource(order));
  log(order);
  probe('caller after');
  return 'done';
}
