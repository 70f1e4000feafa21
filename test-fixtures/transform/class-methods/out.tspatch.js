import * as __tw$ from "@tracewright/runtime/inject";
class Counter {
    count = 0;
    // @trace
    increment(by) {
        const __tw$c0 = __tw$.enter("increment", undefined, { by });
        try {
            this.count += by;
            return __tw$.exit(__tw$c0, this.count);
        }
        catch (__tw$e) {
            throw __tw$.fail(__tw$c0, __tw$e);
        }
        __tw$.exit(__tw$c0, undefined);
    }
    // @trace
    static create(start) {
        const __tw$c1 = __tw$.enter("create", undefined, { start });
        try {
            const c = new Counter();
            c.count = start;
            return __tw$.exit(__tw$c1, c);
        }
        catch (__tw$e) {
            throw __tw$.fail(__tw$c1, __tw$e);
        }
        __tw$.exit(__tw$c1, undefined);
    }
    // @trace
    #secret(x) {
        const __tw$c2 = __tw$.enter("#secret", undefined, { x });
        try {
            return __tw$.exit(__tw$c2, x * 10);
        }
        catch (__tw$e) {
            throw __tw$.fail(__tw$c2, __tw$e);
        }
        __tw$.exit(__tw$c2, undefined);
    }
    // @trace
    reveal(x) {
        const __tw$c3 = __tw$.enter("reveal", undefined, { x });
        try {
            return __tw$.exit(__tw$c3, this.#secret(x));
        }
        catch (__tw$e) {
            throw __tw$.fail(__tw$c3, __tw$e);
        }
        __tw$.exit(__tw$c3, undefined);
    }
}
export function run(log) {
    const c = Counter.create(5);
    log(c.increment(2));
    return c.reveal(4);
}
