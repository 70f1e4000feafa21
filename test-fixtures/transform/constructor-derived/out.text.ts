import * as __tw$ from "@tracewright/runtime/inject"; class Base {
  constructor(public kind: string) {}
}
class Derived extends Base {
  tag: string;
  // @trace
  constructor(readonly id: number) {
    super('derived'); let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "Derived", undefined, { id }); try {
    this.tag = `${new.target.name}:${id}`;
  } catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); }
}

export function run(log: (x: unknown) => void) {
  const d = new Derived(3);
  log(d.kind);
  log(d instanceof Derived);
  return d.tag;
}
