import * as __tw$ from "@tracewright/runtime/inject";
// @trace(CHAIN)
async function pipeline(docs) {
    return __tw$.fn("pipeline", "CHAIN", { docs }, async () => {
        const out = [];
        {
            let __tw$n0 = 0;
            // @trace(PARSER)
            for (const doc of docs) {
                const __tw$i0 = __tw$.iter("for (const doc of docs)", "PARSER", { doc, iteration: __tw$n0++ });
                try {
                    {
                        __tw$.back(await __tw$.leave(null, __tw$i0), __tw$i0);
                        out.push(doc.length);
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
        return out;
    });
}
export async function run(log) {
    const r = await pipeline(['ab', 'cde']);
    log(r);
    return r;
}
