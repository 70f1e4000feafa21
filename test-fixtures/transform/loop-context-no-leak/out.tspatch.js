import * as __tw$ from "@tracewright/runtime/inject";
// Tracing must not leak a loop iteration's context to the caller while the loop is
// suspended at an await: probe() records, as its span's parent, what was active.
// @trace
function probe(where) {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "probe", undefined, { where });
    try {
        return __tw$.exit(__tw$c0, where);
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c0, __tw$e);
    }
    __tw$.exit(__tw$c0, undefined);
}
async function worker(log) {
    {
        let __tw$n0 = 0;
        // @trace
        for (const n of [1, 2]) {
            const __tw$i0 = __tw$.iter("for (const n of [1, 2])", undefined, { n, iteration: __tw$n0++ });
            try {
                {
                    probe(`body ${n}`);
                    __tw$.back(await __tw$.leave(new Promise((r) => setTimeout(r, 1)), __tw$i0), __tw$i0);
                    probe(`after await ${n}`);
                    log(n);
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
    probe('after loop');
}
export async function run(log) {
    const p = worker(log);
    probe('caller while worker is suspended');
    await p;
    probe('caller after');
    return 'ok';
}
