import * as __tw$ from "@tracewright/runtime/inject";
// @trace(TOOL)
async function fetchItem(id) {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "fetchItem", "TOOL", { id });
    let __tw$h0;
    try {
        __tw$.back(await __tw$.leave(__tw$h0 = new Promise((r) => setTimeout(r, 1)), __tw$c0), __tw$c0);
        return __tw$.exit(__tw$c0, __tw$h0 = `item${id}`);
    }
    catch (__tw$e) {
        try {
            __tw$e = __tw$.fail(__tw$c0, __tw$e, __tw$h0);
        }
        catch {
            if (__tw$h0 !== undefined)
                try {
                    await __tw$h0;
                }
                catch {
                }
        }
        throw __tw$e;
    }
    __tw$.exit(__tw$c0, undefined);
}
// @trace
function afterLoop() {
    let __tw$c1 = __tw$.context();
    __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "afterLoop", undefined, {});
    try {
        return __tw$.exit(__tw$c1, 'after');
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c1, __tw$e);
    }
    __tw$.exit(__tw$c1, undefined);
}
// @trace
export async function run(log) {
    let __tw$c2 = __tw$.context();
    __tw$c2 = __tw$c2 === null ? undefined : __tw$.enterIn(__tw$c2, "run", undefined, { log });
    let __tw$r2, __tw$h2;
    try {
        const results = [];
        {
            let __tw$n0 = 0;
            // @trace
            for (const id of [1, 2]) {
                const __tw$i0 = __tw$.iter("for (const id of [1, 2])", undefined, { id, iteration: __tw$n0++ });
                try {
                    {
                        const item = __tw$.back(__tw$.back(await __tw$.leave(__tw$.leave(__tw$h2 = fetchItem(id), __tw$i0), __tw$c2), __tw$c2), __tw$i0);
                        results.push(item);
                        log(item);
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
        log(afterLoop());
        return (__tw$r2 = results);
        __tw$r2 = undefined;
    }
    catch (__tw$e) {
        __tw$r2 = __tw$c2;
        try {
            __tw$e = __tw$.fail(__tw$c2, __tw$e, __tw$h2);
        }
        catch {
            if (__tw$h2 !== undefined)
                try {
                    await __tw$h2;
                }
                catch {
                }
        }
        throw __tw$e;
    }
    finally {
        if (__tw$r2 !== __tw$c2)
            __tw$.exit(__tw$c2, __tw$r2);
    }
}
