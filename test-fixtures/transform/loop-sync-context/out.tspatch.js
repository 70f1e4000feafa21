import * as __tw$ from "@tracewright/runtime/inject";
// @trace
function step(n) {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "step", undefined, { n });
    try {
        return __tw$.exit(__tw$c0, n * 2);
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c0, __tw$e);
    }
    __tw$.exit(__tw$c0, undefined);
}
// @trace
export function run(log) {
    let __tw$c1 = __tw$.context();
    __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "run", undefined, { log });
    let __tw$r1;
    try {
        const out = [];
        {
            let __tw$n0 = 0;
            // @trace({ name: "batch" })
            for (let n = 0; n < 2; n++) {
                const __tw$i0 = __tw$.iter("for (let n = 0; n < 2; n++)", { name: "batch" }, { n, iteration: __tw$n0++ });
                try {
                    {
                        out.push(step(n));
                    }
                }
                catch (__tw$e) {
                    __tw$i0.fail(__tw$e);
                    throw __tw$e;
                }
                finally {
                    __tw$i0.end();
                }
            }
        }
        log(step(100)); // after the loop: a child of run, not of an iteration
        return (__tw$r1 = out);
        __tw$r1 = undefined;
    }
    catch (__tw$e) {
        __tw$r1 = __tw$c1;
        throw __tw$.fail(__tw$c1, __tw$e);
    }
    finally {
        if (__tw$r1 !== __tw$c1)
            __tw$.exit(__tw$c1, __tw$r1);
    }
}
