import * as __tw$ from "@tracewright/runtime/inject";
export function run(log) {
    try {
        {
            let __tw$n0 = 0;
            // @trace
            for (const n of [1, 2, 3]) {
                const __tw$i0 = __tw$.iter("for (const n of [1, 2, 3])", undefined, { n, iteration: __tw$n0++ });
                try {
                    {
                        log(n);
                        if (n === 2)
                            throw new Error(`failed at ${n}`);
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
    catch (e) {
        log(e.message);
    }
    return 'recovered';
}
