import * as __tw$ from "@tracewright/runtime/inject";
// Generators are traced inline (issue 12): no outer generator, no `yield*`, no iterator wrapper.
// A sync generator's body runs at the depth it runs untraced, and an async generator's next()
// and return() settle on the same microtask turn as untraced, so consumers interleave with
// other async code exactly as they do untraced. While a generator is suspended its consumer
// never sees the generator's span as active; probe() records, as its span's parent, what was.
Error.stackTraceLimit = Infinity;
function framesBelow(marker) {
    return new Error().stack.split('\n').slice(1).findIndex((l) => l.includes(marker));
}
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
function* depths(n) {
    const __tw$c1 = __tw$.genEnter("depths", undefined, { n });
    let __tw$r1;
    try {
        for (let i = 0; i < n; i++)
            __tw$.gback(yield __tw$.yielded(framesBelow('measureFrames'), __tw$c1), __tw$c1);
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
function measureFrames() {
    return [...depths(2)];
}
// @trace
async function* ticks(n) {
    const __tw$c2 = __tw$.genEnter("ticks", undefined, { n });
    let __tw$r2;
    try {
        for (let i = 0; i < n; i++) {
            __tw$.gback(await __tw$.gleave(null, __tw$c2), __tw$c2);
            __tw$.gback(yield __tw$.yielded(i, __tw$c2), __tw$c2);
        }
        return __tw$.gleave('ticked', __tw$c2);
    }
    catch (__tw$e) {
        __tw$r2 = __tw$c2;
        throw __tw$.genFail(__tw$c2, __tw$e);
    }
    finally {
        if (__tw$r2 !== __tw$c2)
            __tw$.genEnd(__tw$c2);
    }
}
// @trace
async function* guarded() {
    const __tw$c3 = __tw$.genEnter("guarded", undefined, {});
    let __tw$r3;
    try {
        try {
            __tw$.gback(yield __tw$.yielded('first', __tw$c3), __tw$c3);
            __tw$.gback(yield __tw$.yielded('second', __tw$c3), __tw$c3);
        }
        finally {
            __tw$.gback(undefined, __tw$c3);
            probe('guarded finally');
        }
    }
    catch (__tw$e) {
        __tw$r3 = __tw$c3;
        throw __tw$.genFail(__tw$c3, __tw$e);
    }
    finally {
        if (__tw$r3 !== __tw$c3)
            __tw$.genEnd(__tw$c3);
    }
}
class Base {
    greet() {
        return 'base';
    }
}
class Greeter extends Base {
    // @trace
    *greetings(times) {
        const __tw$c4 = __tw$.genEnter("greetings", undefined, { times });
        let __tw$r4;
        try {
            for (let i = 0; i < times; i++)
                __tw$.gback(yield __tw$.yielded(`${super.greet()}#${i}`, __tw$c4), __tw$c4); // super inside a traced generator method
        }
        catch (__tw$e) {
            __tw$r4 = __tw$c4;
            throw __tw$.genFail(__tw$c4, __tw$e);
        }
        finally {
            if (__tw$r4 !== __tw$c4)
                __tw$.genEnd(__tw$c4);
        }
    }
}
/** Microtask turns until `p` settles, counted from the call (the untransformed run logs the same). */
async function turnsUntilSettled(p) {
    let settled = false;
    p.then(() => (settled = true), () => (settled = true));
    let turns = 0;
    while (!settled) {
        await null;
        turns++;
    }
    return turns;
}
export async function run(log) {
    log(['frames below the consumer', measureFrames()]);
    const t = ticks(2);
    log(['turns per next()', await turnsUntilSettled(t.next()), await turnsUntilSettled(t.next()), await turnsUntilSettled(t.next())]);
    const g = guarded();
    await g.next();
    log(['turns: return() at a yield in try…finally', await turnsUntilSettled(g.return(undefined))]);
    const order = [];
    const consume = async (name) => {
        for await (const x of ticks(3))
            order.push(`${name}:${x}`);
    };
    await Promise.all([consume('a'), consume('b'), (async () => { for (let i = 0; i < 4; i++) {
            order.push(`plain:${i}`);
            await null;
        } })()]);
    log(order);
    const s = ticks(1);
    const first = s.next();
    probe('consumer while ticks is suspended');
    log(await first);
    log(await s.next());
    log([...new Greeter().greetings(2)]);
    return 'done';
}
