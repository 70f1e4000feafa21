import * as __tw$ from "@tracewright/runtime/inject"; class Animal {
  constructor(protected name: string) {}
  speak() {
    return `${this.name} makes a sound`;
  }
}
class Dog extends Animal {
  // @trace
  speak() { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "speak", undefined, {}); try {
    return __tw$.exit(__tw$c0, `${super.speak()} (woof)`);
  } catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); }
  // @trace
  async later() { let __tw$c1 = __tw$.context(); __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "later", undefined, {}); let __tw$h1; try {
    __tw$.back(await __tw$.leave(__tw$h1 = null, __tw$c1), __tw$c1);
    return __tw$.exit(__tw$c1, __tw$h1 = super.speak());
  } catch (__tw$e) { try { __tw$e = __tw$.fail(__tw$c1, __tw$e, __tw$h1); } catch { if (__tw$h1 !== undefined) try { await __tw$h1; } catch {} } throw __tw$e; } __tw$.exit(__tw$c1, undefined); }
}

export async function run(log: (x: unknown) => void) {
  const d = new Dog('rex');
  log(d.speak());
  return await d.later();
}
