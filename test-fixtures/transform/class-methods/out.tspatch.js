import * as __tw$ from "@tracewright/runtime/inject";
class Counter {
    count = 0;
    // @trace
    increment(by) {
        return __tw$.fn("increment", undefined, { by }, () => {
            this.count += by;
            return this.count;
        });
    }
    // @trace
    static create(start) {
        return __tw$.fn("create", undefined, { start }, () => {
            const c = new Counter();
            c.count = start;
            return c;
        });
    }
    // @trace
    #secret(x) {
        return __tw$.fn("#secret", undefined, { x }, () => {
            return x * 10;
        });
    }
    // @trace
    reveal(x) {
        return __tw$.fn("reveal", undefined, { x }, () => {
            return this.#secret(x);
        });
    }
}
export function run(log) {
    const c = Counter.create(5);
    log(c.increment(2));
    return c.reveal(4);
}
