import * as __tw$ from "@tracewright/runtime/inject";
async function* source() {
    yield 'x';
    await null;
    yield 'y';
}
// @trace
function handle(v) {
    return __tw$.fn("handle", undefined, { v }, () => {
        return v.toUpperCase();
    });
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
