import * as __tw$ from "@tracewright/runtime/inject";
export function run(log) {
    let n = 0;
    {
        let __tw$n0 = 0;
        // @trace
        do {
            const __tw$i0 = __tw$.iter("do\u2026while (n < 3)", undefined, { iteration: __tw$n0++ });
            try {
                {
                    n++;
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
        } while (n < 3);
    }
    return n;
}
