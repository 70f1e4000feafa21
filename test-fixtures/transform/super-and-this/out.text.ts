import * as __tw$ from "@tracewright/runtime/inject"; class Animal {
  constructor(protected name: string) {}
  speak() {
    return `${this.name} makes a sound`;
  }
}
class Dog extends Animal {
  // @trace
  speak() { const __tw$c0 = __tw$.enter("speak", undefined, {}); try {
    return __tw$.exit(__tw$c0, `${super.speak()} (woof)`);
  } catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); }
  // @trace
  async later() { return __tw$.fn("later", undefined, {}, async () => {
    await null;
    return super.speak();
  }); }
}

export async function run(log: (x: unknown) => void) {
  const d = new Dog('rex');
  log(d.speak());
  return await d.later();
}
