class Animal {
  constructor(protected name: string) {}
  speak() {
    return `${this.name} makes a sound`;
  }
}
class Dog extends Animal {
  // @trace
  speak() {
    return `${super.speak()} (woof)`;
  }
  // @trace
  async later() {
    await null;
    return super.speak();
  }
}

export async function run(log: (x: unknown) => void) {
  const d = new Dog('rex');
  log(d.speak());
  return await d.later();
}
