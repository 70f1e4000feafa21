import * as __tw$ from "@tracewright/runtime/inject";
import { disableTracing, enableTracing } from '@tracewright/runtime';
// @trace
function work(x) {
    return __tw$.fn("work", undefined, { x }, () => {
        return x + 1;
    });
}
export function run(log) {
    disableTracing();
    const results = [];
    {
        let __tw$n0 = 0;
        // @trace
        for (const n of [1, 2]) {
            const __tw$i0 = __tw$.iter("for (const n of [1, 2])", undefined, { n, iteration: __tw$n0++ });
            try {
                results.push(work(n));
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
    enableTracing();
    log(results);
    return work(10);
}
