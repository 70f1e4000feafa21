import * as __tw$ from "@tracewright/runtime/inject";
// probe() records where it was called from: its parent span shows the active context.
// @trace
function probe(where) {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "probe", undefined, { where });
    try {
        return __tw$.exit(__tw$c0, where);
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c0, __tw$e);
    }
    __tw$.exit(__tw$c0, undefined);
}
// @trace
function* batches(items) {
    const __tw$c1 = __tw$.genEnter("batches", undefined, { items });
    let __tw$r1;
    try {
        {
            let __tw$n0 = 0;
            // @trace
            for (const item of items) {
                const __tw$i0 = __tw$.iter("for (const item of items)", undefined, { item, iteration: __tw$n0++ });
                try {
                    {
                        const reply = __tw$.back(__tw$.gback(yield __tw$.yielded(__tw$.leave(item * 10, __tw$i0), __tw$c1), __tw$c1), __tw$i0);
                        probe(`resumed after ${item}`);
                        if (reply === 'stop')
                            return 'stopped';
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
        return 'exhausted';
    }
    catch (__tw$e) {
        __tw$r1 = __tw$c1;
        throw __tw$.genFail(__tw$c1, __tw$e);
    }
    finally {
        if (__tw$r1 !== __tw$c1)
            __tw$.genEnd(__tw$c1);
    }
}
// An untraced generator: the iteration context must still not leak to the consumer.
function* plain(items) {
    {
        let __tw$n1 = 0;
        // @trace
        for (const item of items) {
            const __tw$i1 = __tw$.iter("for (const item of items)", undefined, { item, iteration: __tw$n1++ });
            try {
                {
                    __tw$.back(yield __tw$.leave(item, __tw$i1), __tw$i1);
                    probe(`plain resumed after ${item}`);
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
export function run(log) {
    const it = batches([1, 2, 3]);
    log(it.next());
    probe('consumer between steps');
    log(it.next('go'));
    log(it.next('stop'));
    const it2 = batches([4, 5]);
    log(it2.next());
    log(it2.return('early'));
    const p = plain(['a', 'b']);
    log(p.next());
    probe('consumer while plain is suspended');
    log([...p]);
    return [...batches([7])];
}
