import * as __tw$ from "@tracewright/runtime/inject";
// @trace
async function fetchUser(id) {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "fetchUser", undefined, { id });
    let __tw$h0;
    try {
        __tw$.back(await __tw$.leave(__tw$h0 = new Promise((r) => setTimeout(r, 1)), __tw$c0), __tw$c0);
        return __tw$.exit(__tw$c0, __tw$h0 = { id, name: `user${id}` });
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
export async function run(log) {
    const p = fetchUser(1);
    log(p instanceof Promise);
    return await p;
}
