import * as __tw$ from "@tracewright/runtime/inject";
export function run(log) {
    let i = 0;
    const kept = [];
    {
        let __tw$n0 = 0;
        // @trace
        while (i < 6) {
            const __tw$i0 = __tw$.iter("while (i < 6)", undefined, { iteration: __tw$n0++ });
            try {
                {
                    i++;
                    if (i % 3 === 0)
                        continue;
                    if (i === 5)
                        break;
                    kept.push(i);
                    log(i);
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
    return kept;
}
