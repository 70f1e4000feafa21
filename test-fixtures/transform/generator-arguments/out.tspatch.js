import * as __tw$ from "@tracewright/runtime/inject";
class Seq {
    step;
    constructor(step) {
        this.step = step;
    }
    // @trace
    *range(start, end) {
        return yield* __tw$.gen("range", undefined, { start, end }, function* () {
            log2(arguments.length);
            for (let i = start; i < end; i += this.step)
                yield i;
        }.apply(this, arguments));
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
