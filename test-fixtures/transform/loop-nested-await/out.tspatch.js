import * as __tw$ from "@tracewright/runtime/inject";
export async function run(log) {
    const grid = [];
    {
        let __tw$n0 = 0;
        // @trace
        for (const row of ['r1', 'r2']) {
            const __tw$i0 = __tw$.iter("for (const row of ['r1', 'r2'])", undefined, { row, iteration: __tw$n0++ });
            try {
                {
                    __tw$.back(await __tw$.leave(null, __tw$i0), __tw$i0);
                    {
                        let __tw$n1 = 0;
                        // @trace
                        for (let col = 0; col < 2; col++) {
                            const __tw$i1 = __tw$.iter("for (let col = 0; col < 2; col++)", undefined, { col, iteration: __tw$n1++ }, __tw$i0);
                            try {
                                {
                                    __tw$.back(await __tw$.leave(null, __tw$i1), __tw$i1);
                                    if (row === 'r2' && col === 1)
                                        break;
                                    grid.push(`${row}c${col}`);
                                }
                            }
                            catch (__tw$e) {
                                __tw$i1.fail(__tw$e);
                                throw __tw$e;
                            }
                            finally {
                                __tw$i1.end();
                            }
                        }
                    }
                    log(row);
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
    return grid;
}
