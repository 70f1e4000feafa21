import * as __tw$ from "@tracewright/runtime/inject";
// @trace
function* naturals() {
    const __tw$c0 = __tw$.genEnter("naturals", undefined, {});
    let __tw$r0;
    try {
        let n = 0;
        try {
            while (true)
                __tw$.gback(yield __tw$.yielded(n++, __tw$c0), __tw$c0);
        }
        finally {
            __tw$.gback(undefined, __tw$c0);
            cleanup.push('closed');
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
const cleanup = [];
export function run(log) {
    for (const n of naturals()) {
        log(n);
        if (n === 2)
            break;
    }
    const it = naturals();
    it.next();
    log(it.return(99));
    return cleanup;
}
