import * as __tw$ from "@tracewright/runtime/inject";
// @trace
function findIndex(items, wanted) {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "findIndex", undefined, { items, wanted });
    let __tw$r0;
    try {
        {
            let __tw$n0 = 0;
            // @trace
            for (let i = 0; i < items.length; i++) {
                const __tw$i0 = __tw$.iter("for (let i = 0; i < items.length; i++)", undefined, { i, iteration: __tw$n0++ });
                try {
                    {
                        if (items[i] === wanted)
                            return (__tw$r0 = i);
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
        return (__tw$r0 = -1);
        __tw$r0 = undefined;
    }
    catch (__tw$e) {
        __tw$r0 = __tw$c0;
        throw __tw$.fail(__tw$c0, __tw$e);
    }
    finally {
        if (__tw$r0 !== __tw$c0)
            __tw$.exit(__tw$c0, __tw$r0);
    }
}
export function run(log) {
    log(findIndex(['a', 'b', 'c'], 'z'));
    return findIndex(['a', 'b', 'c'], 'b');
}
