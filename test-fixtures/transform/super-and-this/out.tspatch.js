import * as __tw$ from "@tracewright/runtime/inject";
class Animal {
    name;
    constructor(name) {
        this.name = name;
    }
    speak() {
        return `${this.name} makes a sound`;
    }
}
class Dog extends Animal {
    // @trace
    speak() {
        return __tw$.fn("speak", undefined, {}, () => {
            return `${super.speak()} (woof)`;
        });
    }
    // @trace
    async later() {
        return __tw$.fn("later", undefined, {}, async () => {
            await null;
            return super.speak();
        });
    }
}
export async function run(log) {
    const d = new Dog('rex');
    log(d.speak());
    return await d.later();
}
