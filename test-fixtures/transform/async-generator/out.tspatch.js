import * as __tw$ from "@tracewright/runtime/inject";
// @trace
async function* ticks(n) {
    const __tw$c0 = __tw$.genEnter("ticks", undefined, { n });
    let __tw$r0;
    try {
        for (let i = 0; i < n; i++) {
            __tw$.gback(await __tw$.gleave(null, __tw$c0), __tw$c0);
            __tw$.gback(yield __tw$.yielded(`tick${i}`, __tw$c0), __tw$c0);
        }
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
export async function run(log) {
    const out = [];
    for await (const t of ticks(3)) {
        log(t);
        out.push(t);
    }
    return out;
}
