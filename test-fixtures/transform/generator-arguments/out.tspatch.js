import * as __tw$ from "@tracewright/runtime/inject";
class Seq {
    step;
    constructor(step) {
        this.step = step;
    }
    // @trace
    *range(start, end) {
        const __tw$c0 = __tw$.genEnter("range", undefined, { start, end });
        let __tw$r0;
        try {
            log2(arguments.length);
            for (let i = start; i < end; i += this.step)
                __tw$.gback(yield __tw$.yielded(i, __tw$c0), __tw$c0);
        }
        catch (__tw$e) {
            __tw$r0 = __tw$c0;
            throw __tw$.genFail(__tw$c0, __tw$e);
        }
        finally {
            if (__tw$r0 !== __tw$c0)
                __tw$.genEnd(__tw$c0);
        }
    }
}
const seen = [];
const log2 = (x) => seen.push(x);
export function run(log) {
    const s = new Seq(2);
    const r = [...s.range(0, 6)];
    log(seen);
    return r;
}
