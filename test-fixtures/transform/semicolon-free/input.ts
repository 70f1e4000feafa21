"use strict"
// Semicolon-free style (as in immer's sources): every insertion must keep statements apart
// where the original relied on automatic semicolon insertion (issue 12 item 7). A bare `yield`
// followed by a line starting with `(` is covered by emit-text.test.ts, not here: esbuild
// (which runs the untransformed input in this suite) parses that as `(yield)(...)`.
let trail: unknown[] = []

class Base {
  constructor(readonly seed: number) {}
}

class Derived extends Base {
  doubled: number
  // @trace
  constructor(seed: number) {
    super(seed) // trailing comment after super
    this.doubled = seed * 2
  }
}

class Last extends Base {
  // @trace
  constructor(seed: number) {
    super(seed)
  }
}

// @trace
function prologue(this: unknown) {
  "use strict"
  return this === undefined
}

// @trace
function* pairs(n: number) {
  // @trace
  for (let i = 0; i < n; i++) {
    yield
    ;[i, i * 2].forEach((v) => trail.push(v))
    const got: unknown = yield
    trail.push(got)
  }
}

// @trace
const arrow = (a: number) => a
  + 1

export function run(log: (x: unknown) => void) {
  log(new Derived(2).doubled)
  log(new Last(5).seed)
  log(prologue())
  const it = pairs(2)
  const steps = [it.next(), it.next('a'), it.next('b'), it.next('c'), it.next('d')]
  log(steps)
  log(trail)
  return arrow(1)
}
