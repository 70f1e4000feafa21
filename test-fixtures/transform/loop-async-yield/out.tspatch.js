import * as __tw$ from "@tracewright/runtime/inject";
// @trace
async function* pages(n) {
    return yield* __tw$.gen("pages", undefined, { n }, async function* () {
        {
            let __tw$n0 = 0;
            // @trace
            for (let page = 1; page <= n; page++) {
                const __tw$i0 = __tw$.iter("for (let page = 1; page <= n; page++)", undefined, { page, iteration: __tw$n0++ });
                try {
                    {
                        __tw$.back(await __tw$.leave(null, __tw$i0), __tw$i0);
                        __tw$.back(yield __tw$.leave(`page${page}`, __tw$i0), __tw$i0);
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
    }.call(this));
}
export async function run(log) {
    for await (const p of pages(3)) {
        log(p);
        if (p === 'page2')
            break;
    }
    return 'ok';
}
