// Sync functions are traced inline (issue 12 item 13): every `return` of the function itself
// ends its span (not those of nested functions, classes, getters); falling off the end and
// throwing end it too. Where code of the function runs after a return value is taken (a
// `finally`, the iterator closed when a return leaves a `for…of`), the function keeps the
// closure form, so the span still ends after that code: `note` spans recorded there are
// children of the function's span.
const order: string[] = [];

// @trace
function note(message: string) {
  order.push(message);
}

function* letters() {
  try {
    yield 'a';
    yield 'b';
  } finally {
    note('letters closed');
  }
}

// @trace
function classify(n: number): string {
  switch (true) {
    case n < 0:
      return 'negative';
    case n === 0: {
      return 'zero';
    }
  }
  block: {
    if (n > 100) break block;
    return n % 2 ? 'odd' : 'even';
  }
  return 'large';
}

// @trace
function bare(flag: boolean) {
  order.push('bare');
  if (flag) return
  order.push('bare end')
}

// @trace
function commaValue(n: number) {
  return order.push('comma'), n * 3;
}

// @trace
function nested(n: number) {
  const inner = () => { return n + 1; };
  class Local {
    get v() { return inner(); }
  }
  function helper() { return 10; }
  return new Local().v + helper();
}

// @trace
function caught(n: number) {
  try {
    if (n > 0) throw new RangeError('too big');
    return 'fine';
  } catch (e) {
    return `caught ${(e as Error).message}`;
  }
}

// @trace
function withFinally(n: number) {
  try {
    return n * 2;
  } finally {
    note('finally ran');
  }
}

// @trace
function firstLetter() {
  for (const l of letters()) {
    return l;
  }
  return 'none';
}

// @trace
function countLetters() {
  let k = 0;
  for (const l of letters()) k += l.length;
  return k;
}

// @trace
function fallsOff(xs: number[]) {
  xs.push(1)
}

// @trace
function promised(v: number) {
  return Promise.resolve(v);
}

// @trace
function thrower(): never {
  throw new TypeError('nope');
}

// @trace
const adder = (a: number) => (b: number) => a + b;

export async function run(log: (x: unknown) => void) {
  log([classify(-1), classify(0), classify(3), classify(4), classify(200)]);
  log([bare(true), bare(false)]);
  log(commaValue(2));
  log(nested(1));
  log([caught(0), caught(1)]);
  log(withFinally(4));
  log(firstLetter());
  log(countLetters());
  const xs: number[] = [];
  log([fallsOff(xs), xs]);
  const p = promised(7);
  log(p instanceof Promise);
  log(await p);
  try {
    thrower();
  } catch (e) {
    log((e as Error).message);
  }
  log(adder(1)(2));
  log(order);
  return 'done';
}
