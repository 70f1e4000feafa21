import * as __tw$ from "@tracewright/runtime/inject";
export function run(log) {
    const items = [{ id: 'a1', size: 2 }, { id: 'b2', size: 5 }];
    let total = 0;
    {
        let __tw$n0 = 0;
        // @trace({ name: `process_${item.id}`, attributes: { size: item.size } })
        for (const item of items) {
            const __tw$i0 = __tw$.iter("for (const item of items)", { name: `process_${item.id}`, attributes: { size: item.size } }, { item, iteration: __tw$n0++ });
            try {
                {
                    total += item.size;
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
    log(total);
    return total;
}
