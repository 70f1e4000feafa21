// Async functions are traced inline (issue 12): no inner async arrow, so the returned promise
// settles on the same microtask turn as untraced. Around each await of the function itself
// the call's context is left (the caller, and code running between turns, never sees the
// span as active) and re-entered on resume, also in catch/finally blocks after a rejected
// await and around the implicit awaits of `for await`. probe() records, as its span's
// parent, what was active. Constructs the inline form cannot keep exact keep the closure form.

// @trace
function probe(where: string) {
  return where;
}

const tick = () => new Promise<void>((r) => setTimeout(r, 1));

async function* numbers(n: number) {
  for (let i = 0; i < n; i++) {
    await null;
    yield i;
  }
}

async function reject(message: string): Promise<never> {
  await null;
  throw new Error(message);
}

// @trace
async function twice(n: number) {
  probe('before await');
  const a = await Promise.resolve(n);
  probe('after await');
  // awaits in arguments and nested expressions
  const b = Math.max(await Promise.resolve(a), (await Promise.resolve(1)) + 1);
  return a + b;
}

// @trace
async function handles(fail: boolean) {
  try {
    if (fail) await reject('no luck');
    return 'fine';
  } catch (e) {
    probe(`caught ${(e as Error).message}`);
    await tick();
    probe('after await in catch');
    return 'recovered';
  }
}

// @trace
async function sums(n: number) {
  let total = 0;
  outer: for await (const i of numbers(n)) {
    probe(`item ${i}`);
    if (i === 5) break outer;
    total += i;
  }
  probe('after labelled loop');
  for await (const i of numbers(0)) total += i;
  probe('after empty loop');
  for await (const i of [Promise.resolve(10), 20]) total += i;
  return total;
}

// @trace
async function adopts(v: number) {
  await null;
  return Promise.resolve(v * 2); // the function's promise adopts it: the span records 2v
}

const thenable = { then(resolve: (v: string) => void) { resolve('from thenable'); } };

// @trace
async function foreign() {
  return thenable; // adopted by the function's promise; never `.then`-ed by the tracer
}

// @trace
async function failsLater(message: string) {
  await tick();
  probe('before throw');
  throw new TypeError(message);
}

// @trace
async function rejectsAfterAwait() {
  await null;
  throw new RangeError('rejects');
}

// @trace
async function noAwait(x: number) {
  if (x < 0) return;
  probe('no await');
}

// @trace
const arrow = async (x: number) => x + (await Promise.resolve(x));

class Base {
  async greet() {
    return 'base';
  }
}

class Child extends Base {
  // @trace
  async greet() {
    const parent = await super.greet();
    return `${parent}+child:${arguments.length}`;
  }
}

// @trace
async function nestedCallbacks(xs: number[]) {
  // awaits of nested functions are theirs: only the outer await leaves the span's context
  const doubled = await Promise.all(xs.map(async (x) => { await null; return probe(`item ${x}`) && x * 2; }));
  return doubled;
}

// Code runs after the return value is taken (a finally, the iterator's return() when a return
// leaves a for…of): still inline, the call ends after the body, so the span ends after that code.
// @trace
async function withFinally() {
  try {
    await null;
    return 'value';
  } finally {
    probe('finally after return');
  }
}

function* counted(log: string[]) {
  try {
    yield 1;
    yield 2;
  } finally {
    log.push('iterator closed');
    probe('iterator return()');
  }
}

// @trace
async function firstAbove(limit: number) {
  const log: string[] = [];
  for (const x of counted(log)) {
    await null;
    if (x > limit) return [x, log];
  }
  return [-1, log];
}

// @trace
function syncFinally(fail: boolean) {
  try {
    if (fail) throw new Error('sync failure');
    return 'sync value';
  } finally {
    probe('sync finally');
  }
}

// A traced loop in the body: its iterations end before the call; around an await in the loop
// body the iteration is left, then the call (the caller never sees either as active).
// @trace
async function tracedLoopInside() {
  const out: number[] = [];
  // @trace
  for (const i of [1, 2]) {
    await null;
    out.push(i);
  }
  return out;
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
  log(['turns: no await, awaits, for await, adopted promise, rejects', await turnsUntilSettled(noAwait(1)), await turnsUntilSettled(twice(1)), await turnsUntilSettled(sums(3)), await turnsUntilSettled(adopts(1)), await turnsUntilSettled(rejectsAfterAwait())]);
  log(['turns: return in try…finally, return in for…of, traced loop inside', await turnsUntilSettled(withFinally()), await turnsUntilSettled(firstAbove(1)), await turnsUntilSettled(tracedLoopInside())]);
  const p = twice(3);
  probe('caller while twice is suspended');
  log(await p);
  log([await handles(false), await handles(true)]);
  const s = sums(8); // suspends first at the implicit await of its `for await`
  probe('caller while sums is suspended');
  log(await s);
  log(await adopts(4));
  log(await foreign());
  try {
    const q = failsLater('late');
    probe('caller while failsLater is suspended');
    await q;
  } catch (e) {
    log((e as Error).message);
  }
  log([await noAwait(-1), await noAwait(1)]);
  log(await arrow(2));
  log(await new Child().greet());
  log(await nestedCallbacks([1, 2]));
  log(await withFinally());
  log(await firstAbove(0));
  log(await firstAbove(5));
  log(syncFinally(false));
  try {
    syncFinally(true);
  } catch (e) {
    log((e as Error).message);
  }
  log(await tracedLoopInside());
  probe('caller after');
  return 'done';
}
