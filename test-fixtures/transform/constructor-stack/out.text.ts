import * as __tw$ from "@tracewright/runtime/inject"; // A traced constructor adds no stack frame (issue 12): it is traced inline like a method, so a
// constructor that looks at its own stack (depth, callers, as logging and DI libraries do)
// sees what it sees untraced. Frames are counted relative to run(), so the count does not
// depend on how the module was loaded.

Error.stackTraceLimit = Infinity;

function framesBelow(marker: string): number {
  const lines = new Error().stack!.split('\n').slice(1);
  return lines.findIndex((l) => l.includes(marker));
}

class Base {
  readonly depth: number;
  // @trace
  constructor(readonly kind: string) { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "Base", undefined, { kind }); try {
    this.depth = framesBelow('runConstructors');
    if (kind === 'fail') throw new Error('base refused');
  } catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); }
}

class Derived extends Base {
  readonly own: number;
  readonly target: string;
  // @trace
  constructor(readonly id: number) {
    super('derived'); let __tw$c1 = __tw$.context(); __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "Derived", undefined, { id }); try {
    this.own = framesBelow('runConstructors');
    this.target = new.target.name;
    if (id < 0) return __tw$.exit(__tw$c1, { replaced: true } as unknown as Derived);
  } catch (__tw$e) { throw __tw$.fail(__tw$c1, __tw$e); } __tw$.exit(__tw$c1, undefined); }
}

class Leaf extends Derived {}

function runConstructors(log: (x: unknown) => void) {
  const b = new Base('base');
  log(['base frames', b.depth]);
  const d = new Derived(1);
  log(['derived frames (super, own)', d.depth, d.own, d.target, d instanceof Derived]);
  const l = new Leaf(2);
  log(['leaf', l.target, l instanceof Leaf]);
  log(['replaced', new Derived(-1)]);
  try {
    new Base('fail');
  } catch (e) {
    log((e as Error).message);
  }
}

export function run(log: (x: unknown) => void) {
  runConstructors(log);
  return 'done';
}
