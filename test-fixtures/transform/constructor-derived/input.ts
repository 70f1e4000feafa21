class Base {
  constructor(public kind: string) {}
}
class Derived extends Base {
  tag: string;
  // @trace
  constructor(readonly id: number) {
    super('derived');
    this.tag = `${new.target.name}:${id}`;
  }
}

export function run(log: (x: unknown) => void) {
  const d = new Derived(3);
  log(d.kind);
  log(d instanceof Derived);
  return d.tag;
}
