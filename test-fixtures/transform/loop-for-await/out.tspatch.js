import * as __tw$ from "@tracewright/runtime/inject";
async function* source() {
    yield 'x';
    await null;
    yield 'y';
}
// @trace
function handle(v) {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "handle", undefined, { v });
    try {
        return __tw$.exit(__tw$c0, v.toUpperCase());
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c0, __tw$e);
    }
    __tw$.exit(__tw$c0, undefined);
}
export async function run(log) {
    const out = [];
    {
        let __tw$n0 = 0;
        // @trace
        for await (const value of source()) {
            const __tw$i0 = __tw$.iter("for await (const value of source())", undefined, { value, iteration: __tw$n0++ });
            try {
                {
                    out.push(handle(value));
                    log(value);
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
}
