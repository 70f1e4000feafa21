import * as __tw$ from "@tracewright/runtime/inject";
export function run(log) {
    const obj = { x: 1, y: 2 };
    const keys = [];
    {
        let __tw$n0 = 0;
        // @trace
        for (const key in obj) {
            const __tw$i0 = __tw$.iter("for (const key in obj)", undefined, { key, iteration: __tw$n0++ });
            try {
                keys.push(key);
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
    log(keys);
    return keys.length;
}
