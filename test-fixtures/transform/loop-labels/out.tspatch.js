import * as __tw$ from "@tracewright/runtime/inject";
export function run(log) {
    const pairs = [];
    {
        let __tw$n0 = 0;
        // @trace
        outer: for (const a of [1, 2, 3]) {
            const __tw$i0 = __tw$.iter("outer", undefined, { a, iteration: __tw$n0++ });
            try {
                {
                    {
                        let __tw$n1 = 0;
                        // @trace
                        inner: for (const b of [1, 2, 3]) {
                            const __tw$i1 = __tw$.iter("inner", undefined, { b, iteration: __tw$n1++ }, __tw$i0);
                            try {
                                {
                                    if (b === 2)
                                        continue outer;
                                    if (a === 3)
                                        break outer;
                                    if (a === b)
                                        continue inner;
                                    pairs.push(`${a}${b}`);
                                    log(`${a}${b}`);
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
    return pairs;
}
