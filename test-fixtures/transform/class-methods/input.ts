class Counter {
  count = 0;
  // @trace
  increment(by: number) {
    this.count += by;
    return this.count;
  }
  // @trace
  static create(start: number) {
    const c = new Counter();
    c.count = start;
    return c;
  }
  // @trace
  #secret(x: number) {
    return x * 10;
  }
  // @trace
  reveal(x: number) {
    return this.#secret(x);
  }
}

export function run(log: (x: unknown) => void) {
  const c = Counter.create(5);
  log(c.increment(2));
  return c.reveal(4);
}
