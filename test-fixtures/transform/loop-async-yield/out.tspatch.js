import * as __tw$ from "@tracewright/runtime/inject";
// @trace
async function* pages(n) {
    const __tw$c0 = __tw$.genEnter("pages", undefined, { n });
    let __tw$r0;
    try {
        {
            let __tw$n0 = 0;
            // @trace
            for (let page = 1; page <= n; page++) {
                const __tw$i0 = __tw$.iter("for (let page = 1; page <= n; page++)", undefined, { page, iteration: __tw$n0++ });
                try {
                    {
                        __tw$.back(__tw$.gback(await __tw$.gleave(__tw$.leave(null, __tw$i0), __tw$c0), __tw$c0), __tw$i0);
                        __tw$.back(__tw$.gback(yield __tw$.yielded(__tw$.leave(`page${page}`, __tw$i0), __tw$c0), __tw$c0), __tw$i0);
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
    for await (const p of pages(3)) {
        log(p);
        if (p === 'page2')
            break;
    }
    return 'ok';
}
