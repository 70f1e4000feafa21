import * as __tw$ from "@tracewright/runtime/inject"; // `await using` in an async function traced inline (issue 12): the disposals' implicit awaits
// add no microtask turn (the function's promise settles on the same turn as untraced), the
// caller never sees the span as active while the function is suspended at a disposal, and the
// span ends after every disposal. probe() records, as its span's parent, what was active.

// @trace
function probe(where: string) { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "probe", undefined, { where }); try {
  return __tw$.exit(__tw$c0, where);
} catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); }

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
async function disposesFirst(log: string[]) { let __tw$c1 = __tw$.context(); __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "disposesFirst", undefined, { log }); let __tw$r1, __tw$h1; try {
  await using a = new Resource('a', log); using __tw$g1 = __tw$.disposing(__tw$c1);
  probe('body');
  return (__tw$r1 = log.length);
__tw$r1 = undefined; } catch (__tw$e) { __tw$r1 = __tw$c1; try { __tw$e = __tw$.fail(__tw$c1, __tw$e, __tw$h1); } catch { if (__tw$h1 !== undefined) try { await __tw$h1; } catch {} } throw __tw$e; } finally { if (__tw$r1 !== __tw$c1) __tw$.exit(__tw$c1, __tw$r1); } }

// @trace
async function nestedBlock(log: string[]) { let __tw$c2 = __tw$.context(); __tw$c2 = __tw$c2 === null ? undefined : __tw$.enterIn(__tw$c2, "nestedBlock", undefined, { log }); let __tw$r2, __tw$h2; try {
  __tw$.back(await __tw$.leave(__tw$h2 = null, __tw$c2), __tw$c2);
  try { {
    await using b = new Resource('b', log);
    using c = new SyncResource('c', log);
    await using d = new Resource('d', log); using __tw$g2 = __tw$.disposing(__tw$c2);
    log.push('block body');
  } } finally { __tw$.back(undefined, __tw$c2); }
  probe('after block');
  return (__tw$r2 = [...log]);
__tw$r2 = undefined; } catch (__tw$e) { __tw$r2 = __tw$c2; try { __tw$e = __tw$.fail(__tw$c2, __tw$e, __tw$h2); } catch { if (__tw$h2 !== undefined) try { await __tw$h2; } catch {} } throw __tw$e; } finally { if (__tw$r2 !== __tw$c2) __tw$.exit(__tw$c2, __tw$r2); } }

// @trace
async function disposalFails(log: string[]) { let __tw$c3 = __tw$.context(); __tw$c3 = __tw$c3 === null ? undefined : __tw$.enterIn(__tw$c3, "disposalFails", undefined, { log }); let __tw$r3, __tw$h3; try {
  try { try {
    await using e = new Resource('e', log, true); using __tw$g3 = __tw$.disposing(__tw$c3);
    log.push('try body');
  } catch (error) { __tw$.back(undefined, __tw$c3);
    probe(`caught ${(error as Error).message}`);
  } } finally { __tw$.back(undefined, __tw$c3); }
  return (__tw$r3 = 'recovered');
__tw$r3 = undefined; } catch (__tw$e) { __tw$r3 = __tw$c3; try { __tw$e = __tw$.fail(__tw$c3, __tw$e, __tw$h3); } catch { if (__tw$h3 !== undefined) try { await __tw$h3; } catch {} } throw __tw$e; } finally { if (__tw$r3 !== __tw$c3) __tw$.exit(__tw$c3, __tw$r3); } }

// @trace
async function nullResource(log: string[]) { let __tw$c4 = __tw$.context(); __tw$c4 = __tw$c4 === null ? undefined : __tw$.enterIn(__tw$c4, "nullResource", undefined, { log }); let __tw$r4, __tw$h4; try {
  await using none = null;
  await using f = new Resource('f', log); using __tw$g4 = __tw$.disposing(__tw$c4);
  log.push('with null');
  return (__tw$r4 = 'null ok');
__tw$r4 = undefined; } catch (__tw$e) { __tw$r4 = __tw$c4; try { __tw$e = __tw$.fail(__tw$c4, __tw$e, __tw$h4); } catch { if (__tw$h4 !== undefined) try { await __tw$h4; } catch {} } throw __tw$e; } finally { if (__tw$r4 !== __tw$c4) __tw$.exit(__tw$c4, __tw$r4); } }

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
