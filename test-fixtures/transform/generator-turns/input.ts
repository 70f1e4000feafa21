// Generators are traced inline (issue 12): no outer generator, no `yield*`, no iterator wrapper.
// A sync generator's body runs at the depth it runs untraced, and an async generator's next()
// and return() settle on the same microtask turn as untraced, so consumers interleave with
// other async code exactly as they do untraced. While a generator is suspended its consumer
// never sees the generator's span as active; probe() records, as its span's parent, what was.

Error.stackTraceLimit = Infinity;

function framesBelow(marker: string): number {
  return new Error().stack!.split('\n').slice(1).findIndex((l) => l.includes(marker));
}

// @trace
function probe(where: string) {
  return where;
}

// @trace
function* depths(n: number) {
  for (let i = 0; i < n; i++) yield framesBelow('measureFrames');
}

function measureFrames() {
  return [...depths(2)];
}

// @trace
async function* ticks(n: number) {
  for (let i = 0; i < n; i++) {
    await null;
    yield i;
  }
  return 'ticked';
}

// @trace
async function* guarded() {
  try {
    yield 'first';
    yield 'second';
  } finally {
    probe('guarded finally');
  }
}

class Base {
  greet() {
    return 'base';
  }
}

class Greeter extends Base {
  // @trace
  *greetings(times: number) {
    for (let i = 0; i < times; i++) yield `${super.greet()}#${i}`; // super inside a traced generator method
  }
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
  log(['frames below the consumer', measureFrames()]);
  const t = ticks(2);
  log(['turns per next()', await turnsUntilSettled(t.next()), await turnsUntilSettled(t.next()), await turnsUntilSettled(t.next())]);
  const g = guarded();
  await g.next();
  log(['turns: return() at a yield in try…finally', await turnsUntilSettled(g.return(undefined))]);
  const order: string[] = [];
  const consume = async (name: string) => {
    for await (const x of ticks(3)) order.push(`${name}:${x}`);
  };
  await Promise.all([consume('a'), consume('b'), (async () => { for (let i = 0; i < 4; i++) { order.push(`plain:${i}`); await null; } })()]);
  log(order);
  const s = ticks(1);
  const first = s.next();
  probe('consumer while ticks is suspended');
  log(await first);
  log(await s.next());
  log([...new Greeter().greetings(2)]);
  return 'done';
}
