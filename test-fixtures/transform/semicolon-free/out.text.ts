"use strict"; import * as __tw$ from "@tracewright/runtime/inject"; 
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
    super(seed); let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "Derived", undefined, { seed }); try { // trailing comment after super
    this.doubled = seed * 2
  } catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); }
}

class Last extends Base {
  // @trace
  constructor(seed: number) {
    super(seed); let __tw$c1 = __tw$.context(); __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "Last", undefined, { seed }); try {
  } catch (__tw$e) { throw __tw$.fail(__tw$c1, __tw$e); } __tw$.exit(__tw$c1, undefined); }
}

// @trace
function prologue(this: unknown) {
  "use strict"; let __tw$c2 = __tw$.context(); __tw$c2 = __tw$c2 === null ? undefined : __tw$.enterIn(__tw$c2, "prologue", undefined, {}); try {
  return __tw$.exit(__tw$c2, this === undefined)
} catch (__tw$e) { throw __tw$.fail(__tw$c2, __tw$e); } __tw$.exit(__tw$c2, undefined); }

// @trace
function* pairs(n: number) { const __tw$c3 = __tw$.genEnter("pairs", undefined, { n }); let __tw$r3; try {
  // @trace
  { let __tw$n0 = 0; for (let i = 0; i < n; i++) { const __tw$i0 = __tw$.iter("for (let i = 0; i < n; i++)", undefined, { i, iteration: __tw$n0++ }); try { {
    __tw$.back(__tw$.gback(yield __tw$.yielded(__tw$.leave(undefined, __tw$i0), __tw$c3), __tw$c3), __tw$i0)
    ;[i, i * 2].forEach((v) => trail.push(v))
    const got: unknown = __tw$.back(__tw$.gback(yield __tw$.yielded(__tw$.leave(undefined, __tw$i0), __tw$c3), __tw$c3), __tw$i0);
    trail.push(got)
  } } catch (__tw$e) { __tw$i0.fail(__tw$e); throw __tw$e; } finally { __tw$i0.end(); } } }
;} catch (__tw$e) { __tw$r3 = __tw$c3; throw __tw$.genFail(__tw$c3, __tw$e); } finally { if (__tw$r3 !== __tw$c3) __tw$.genEnd(__tw$c3); } }

// @trace
const arrow = (a: number) => { let __tw$c4 = __tw$.context(); __tw$c4 = __tw$c4 === null ? undefined : __tw$.enterIn(__tw$c4, "arrow", undefined, { a }); try { return __tw$.exit(__tw$c4, a
  + 1); } catch (__tw$e) { throw __tw$.fail(__tw$c4, __tw$e); } }

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
