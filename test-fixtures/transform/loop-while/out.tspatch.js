import * as __tw$ from "@tracewright/runtime/inject";
export function run(log) {
    const queue = [3, 1, 2];
    let processed = 0;
    {
        let __tw$n0 = 0;
        // @trace({ name: "drain" })
        while (queue.length > 0) {
            const __tw$i0 = __tw$.iter("while (queue.length > 0)", { name: "drain" }, { iteration: __tw$n0++ });
            try {
                {
                    const next = queue.shift();
                    if (next === 2)
                        break;
                    log(next);
                    processed++;
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
    return [processed, queue];
}
