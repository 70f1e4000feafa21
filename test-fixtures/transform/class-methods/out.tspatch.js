import * as __tw$ from "@tracewright/runtime/inject";
class Counter {
    count = 0;
    // @trace
    increment(by) {
        let __tw$c0 = __tw$.context();
        __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "increment", undefined, { by });
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
        let __tw$c1 = __tw$.context();
        __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "create", undefined, { start });
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
        let __tw$c2 = __tw$.context();
        __tw$c2 = __tw$c2 === null ? undefined : __tw$.enterIn(__tw$c2, "#secret", undefined, { x });
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
        let __tw$c3 = __tw$.context();
        __tw$c3 = __tw$c3 === null ? undefined : __tw$.enterIn(__tw$c3, "reveal", undefined, { x });
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
