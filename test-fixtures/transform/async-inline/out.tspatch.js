import * as __tw$ from "@tracewright/runtime/inject";
// Async functions are traced inline (issue 12): no inner async arrow, so the returned promise
// settles on the same microtask turn as untraced. Around each await of the function itself
// the call's context is left (the caller, and code running between turns, never sees the
// span as active) and re-entered on resume, also in catch/finally blocks after a rejected
// await and around the implicit awaits of `for await`. probe() records, as its span's
// parent, what was active. Constructs the inline form cannot keep exact keep the closure form.
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
const tick = () => new Promise((r) => setTimeout(r, 1));
async function* numbers(n) {
    for (let i = 0; i < n; i++) {
        await null;
        yield i;
    }
}
async function reject(message) {
    await null;
    throw new Error(message);
}
// @trace
async function twice(n) {
    let __tw$c1 = __tw$.context();
    __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "twice", undefined, { n });
    let __tw$h1;
    try {
        probe('before await');
        const a = __tw$.back(await __tw$.leave(__tw$h1 = Promise.resolve(n), __tw$c1), __tw$c1);
        probe('after await');
        // awaits in arguments and nested expressions
        const b = Math.max(__tw$.back(await __tw$.leave(__tw$h1 = Promise.resolve(a), __tw$c1), __tw$c1), (__tw$.back(await __tw$.leave(__tw$h1 = Promise.resolve(1), __tw$c1), __tw$c1)) + 1);
        return __tw$.exit(__tw$c1, __tw$h1 = a + b);
    }
    catch (__tw$e) {
        try {
            __tw$e = __tw$.fail(__tw$c1, __tw$e, __tw$h1);
        }
        catch {
            if (__tw$h1 !== undefined)
                try {
                    await __tw$h1;
                }
                catch {
                }
        }
        throw __tw$e;
    }
    __tw$.exit(__tw$c1, undefined);
}
// @trace
async function handles(fail) {
    let __tw$c2 = __tw$.context();
    __tw$c2 = __tw$c2 === null ? undefined : __tw$.enterIn(__tw$c2, "handles", undefined, { fail });
    let __tw$h2;
    try {
        try {
            if (fail)
                __tw$.back(await __tw$.leave(__tw$h2 = reject('no luck'), __tw$c2), __tw$c2);
            return __tw$.exit(__tw$c2, __tw$h2 = 'fine');
        }
        catch (e) {
            __tw$.back(undefined, __tw$c2);
            probe(`caught ${e.message}`);
            __tw$.back(await __tw$.leave(__tw$h2 = tick(), __tw$c2), __tw$c2);
            probe('after await in catch');
            return __tw$.exit(__tw$c2, __tw$h2 = 'recovered');
        }
    }
    catch (__tw$e) {
        try {
            __tw$e = __tw$.fail(__tw$c2, __tw$e, __tw$h2);
        }
        catch {
            if (__tw$h2 !== undefined)
                try {
                    await __tw$h2;
                }
                catch {
                }
        }
        throw __tw$e;
    }
    __tw$.exit(__tw$c2, undefined);
}
// @trace
async function sums(n) {
    let __tw$c3 = __tw$.context();
    __tw$c3 = __tw$c3 === null ? undefined : __tw$.enterIn(__tw$c3, "sums", undefined, { n });
    let __tw$h3;
    try {
        let total = 0;
        {
            outer: for await (const i of __tw$.leave(numbers(n), __tw$c3)) {
                __tw$.back(undefined, __tw$c3);
                {
                    probe(`item ${i}`);
                    if (i === 5)
                        break outer;
                    total += i;
                }
            }
            __tw$.back(undefined, __tw$c3);
        }
        probe('after labelled loop');
        {
            for await (const i of __tw$.leave(numbers(0), __tw$c3)) {
                __tw$.back(undefined, __tw$c3);
                total += i;
            }
            __tw$.back(undefined, __tw$c3);
        }
        probe('after empty loop');
        {
            for await (const i of __tw$.leave([Promise.resolve(10), 20], __tw$c3)) {
                __tw$.back(undefined, __tw$c3);
                total += i;
            }
            __tw$.back(undefined, __tw$c3);
        }
        return __tw$.exit(__tw$c3, __tw$h3 = total);
    }
    catch (__tw$e) {
        try {
            __tw$e = __tw$.fail(__tw$c3, __tw$e, __tw$h3);
        }
        catch {
            if (__tw$h3 !== undefined)
                try {
                    await __tw$h3;
                }
                catch {
                }
        }
        throw __tw$e;
    }
    __tw$.exit(__tw$c3, undefined);
}
// @trace
async function adopts(v) {
    let __tw$c4 = __tw$.context();
    __tw$c4 = __tw$c4 === null ? undefined : __tw$.enterIn(__tw$c4, "adopts", undefined, { v });
    let __tw$h4;
    try {
        __tw$.back(await __tw$.leave(__tw$h4 = null, __tw$c4), __tw$c4);
        return __tw$.exit(__tw$c4, __tw$h4 = Promise.resolve(v * 2)); // the function's promise adopts it: the span records 2v
    }
    catch (__tw$e) {
        try {
            __tw$e = __tw$.fail(__tw$c4, __tw$e, __tw$h4);
        }
        catch {
            if (__tw$h4 !== undefined)
                try {
                    await __tw$h4;
                }
                catch {
                }
        }
        throw __tw$e;
    }
    __tw$.exit(__tw$c4, undefined);
}
const thenable = { then(resolve) { resolve('from thenable'); } };
// @trace
async function foreign() {
    let __tw$c5 = __tw$.context();
    __tw$c5 = __tw$c5 === null ? undefined : __tw$.enterIn(__tw$c5, "foreign", undefined, {});
    let __tw$h5;
    try {
        return __tw$.exit(__tw$c5, __tw$h5 = thenable); // adopted by the function's promise; never `.then`-ed by the tracer
    }
    catch (__tw$e) {
        try {
            __tw$e = __tw$.fail(__tw$c5, __tw$e, __tw$h5);
        }
        catch {
            if (__tw$h5 !== undefined)
                try {
                    await __tw$h5;
                }
                catch {
                }
        }
        throw __tw$e;
    }
    __tw$.exit(__tw$c5, undefined);
}
// @trace
async function failsLater(message) {
    let __tw$c6 = __tw$.context();
    __tw$c6 = __tw$c6 === null ? undefined : __tw$.enterIn(__tw$c6, "failsLater", undefined, { message });
    let __tw$h6;
    try {
        __tw$.back(await __tw$.leave(__tw$h6 = tick(), __tw$c6), __tw$c6);
        probe('before throw');
        throw new TypeError(message);
    }
    catch (__tw$e) {
        try {
            __tw$e = __tw$.fail(__tw$c6, __tw$e, __tw$h6);
        }
        catch {
            if (__tw$h6 !== undefined)
                try {
                    await __tw$h6;
                }
                catch {
                }
        }
        throw __tw$e;
    }
    __tw$.exit(__tw$c6, undefined);
}
// @trace
async function rejectsAfterAwait() {
    let __tw$c7 = __tw$.context();
    __tw$c7 = __tw$c7 === null ? undefined : __tw$.enterIn(__tw$c7, "rejectsAfterAwait", undefined, {});
    let __tw$h7;
    try {
        __tw$.back(await __tw$.leave(__tw$h7 = null, __tw$c7), __tw$c7);
        throw new RangeError('rejects');
    }
    catch (__tw$e) {
        try {
            __tw$e = __tw$.fail(__tw$c7, __tw$e, __tw$h7);
        }
        catch {
            if (__tw$h7 !== undefined)
                try {
                    await __tw$h7;
                }
                catch {
                }
        }
        throw __tw$e;
    }
    __tw$.exit(__tw$c7, undefined);
}
// @trace
async function noAwait(x) {
    let __tw$c8 = __tw$.context();
    __tw$c8 = __tw$c8 === null ? undefined : __tw$.enterIn(__tw$c8, "noAwait", undefined, { x });
    let __tw$h8;
    try {
        if (x < 0)
            return __tw$.exit(__tw$c8, __tw$h8 = undefined);
        probe('no await');
    }
    catch (__tw$e) {
        try {
            __tw$e = __tw$.fail(__tw$c8, __tw$e, __tw$h8);
        }
        catch {
            if (__tw$h8 !== undefined)
                try {
                    await __tw$h8;
                }
                catch {
                }
        }
        throw __tw$e;
    }
    __tw$.exit(__tw$c8, undefined);
}
// @trace
const arrow = async (x) => {
    let __tw$c9 = __tw$.context();
    __tw$c9 = __tw$c9 === null ? undefined : __tw$.enterIn(__tw$c9, "arrow", undefined, { x });
    let __tw$h9;
    try {
        return __tw$.exit(__tw$c9, __tw$h9 = x + (__tw$.back(await __tw$.leave(__tw$h9 = Promise.resolve(x), __tw$c9), __tw$c9)));
    }
    catch (__tw$e) {
        try {
            __tw$e = __tw$.fail(__tw$c9, __tw$e, __tw$h9);
        }
        catch {
            if (__tw$h9 !== undefined)
                try {
                    await __tw$h9;
                }
                catch {
                }
        }
        throw __tw$e;
    }
};
class Base {
    async greet() {
        return 'base';
    }
}
class Child extends Base {
    // @trace
    async greet() {
        let __tw$c10 = __tw$.context();
        __tw$c10 = __tw$c10 === null ? undefined : __tw$.enterIn(__tw$c10, "greet", undefined, {});
        let __tw$h10;
        try {
            const parent = __tw$.back(await __tw$.leave(__tw$h10 = super.greet(), __tw$c10), __tw$c10);
            return __tw$.exit(__tw$c10, __tw$h10 = `${parent}+child:${arguments.length}`);
        }
        catch (__tw$e) {
            try {
                __tw$e = __tw$.fail(__tw$c10, __tw$e, __tw$h10);
            }
            catch {
                if (__tw$h10 !== undefined)
                    try {
                        await __tw$h10;
                    }
                    catch {
                    }
            }
            throw __tw$e;
        }
        __tw$.exit(__tw$c10, undefined);
    }
}
// @trace
async function nestedCallbacks(xs) {
    let __tw$c11 = __tw$.context();
    __tw$c11 = __tw$c11 === null ? undefined : __tw$.enterIn(__tw$c11, "nestedCallbacks", undefined, { xs });
    let __tw$h11;
    try {
        // awaits of nested functions are theirs: only the outer await leaves the span's context
        const doubled = __tw$.back(await __tw$.leave(__tw$h11 = Promise.all(xs.map(async (x) => { await null; return probe(`item ${x}`) && x * 2; })), __tw$c11), __tw$c11);
        return __tw$.exit(__tw$c11, __tw$h11 = doubled);
    }
    catch (__tw$e) {
        try {
            __tw$e = __tw$.fail(__tw$c11, __tw$e, __tw$h11);
        }
        catch {
            if (__tw$h11 !== undefined)
                try {
                    await __tw$h11;
                }
                catch {
                }
        }
        throw __tw$e;
    }
    __tw$.exit(__tw$c11, undefined);
}
// Code runs after the return value is taken (a finally, the iterator's return() when a return
// leaves a for…of): still inline, the call ends after the body, so the span ends after that code.
// @trace
async function withFinally() {
    let __tw$c12 = __tw$.context();
    __tw$c12 = __tw$c12 === null ? undefined : __tw$.enterIn(__tw$c12, "withFinally", undefined, {});
    let __tw$r12, __tw$h12;
    try {
        try {
            __tw$.back(await __tw$.leave(__tw$h12 = null, __tw$c12), __tw$c12);
            return (__tw$r12 = 'value');
        }
        finally {
            __tw$.back(undefined, __tw$c12);
            probe('finally after return');
        }
        __tw$r12 = undefined;
    }
    catch (__tw$e) {
        __tw$r12 = __tw$c12;
        try {
            __tw$e = __tw$.fail(__tw$c12, __tw$e, __tw$h12);
        }
        catch {
            if (__tw$h12 !== undefined)
                try {
                    await __tw$h12;
                }
                catch {
                }
        }
        throw __tw$e;
    }
    finally {
        if (__tw$r12 !== __tw$c12)
            __tw$.exit(__tw$c12, __tw$r12);
    }
}
function* counted(log) {
    try {
        yield 1;
        yield 2;
    }
    finally {
        log.push('iterator closed');
        probe('iterator return()');
    }
}
// @trace
async function firstAbove(limit) {
    let __tw$c13 = __tw$.context();
    __tw$c13 = __tw$c13 === null ? undefined : __tw$.enterIn(__tw$c13, "firstAbove", undefined, { limit });
    let __tw$r13, __tw$h13;
    try {
        const log = [];
        for (const x of counted(log)) {
            __tw$.back(await __tw$.leave(__tw$h13 = null, __tw$c13), __tw$c13);
            if (x > limit)
                return (__tw$r13 = [x, log]);
        }
        return (__tw$r13 = [-1, log]);
        __tw$r13 = undefined;
    }
    catch (__tw$e) {
        __tw$r13 = __tw$c13;
        try {
            __tw$e = __tw$.fail(__tw$c13, __tw$e, __tw$h13);
        }
        catch {
            if (__tw$h13 !== undefined)
                try {
                    await __tw$h13;
                }
                catch {
                }
        }
        throw __tw$e;
    }
    finally {
        if (__tw$r13 !== __tw$c13)
            __tw$.exit(__tw$c13, __tw$r13);
    }
}
// @trace
function syncFinally(fail) {
    let __tw$c14 = __tw$.context();
    __tw$c14 = __tw$c14 === null ? undefined : __tw$.enterIn(__tw$c14, "syncFinally", undefined, { fail });
    let __tw$r14;
    try {
        try {
            if (fail)
                throw new Error('sync failure');
            return (__tw$r14 = 'sync value');
        }
        finally {
            probe('sync finally');
        }
        __tw$r14 = undefined;
    }
    catch (__tw$e) {
        __tw$r14 = __tw$c14;
        throw __tw$.fail(__tw$c14, __tw$e);
    }
    finally {
        if (__tw$r14 !== __tw$c14)
            __tw$.exit(__tw$c14, __tw$r14);
    }
}
// A traced loop in the body: its iterations end before the call; around an await in the loop
// body the iteration is left, then the call (the caller never sees either as active).
// @trace
async function tracedLoopInside() {
    let __tw$c15 = __tw$.context();
    __tw$c15 = __tw$c15 === null ? undefined : __tw$.enterIn(__tw$c15, "tracedLoopInside", undefined, {});
    let __tw$r15, __tw$h15;
    try {
        const out = [];
        {
            let __tw$n0 = 0;
            // @trace
            for (const i of [1, 2]) {
                const __tw$i0 = __tw$.iter("for (const i of [1, 2])", undefined, { i, iteration: __tw$n0++ });
                try {
                    {
                        __tw$.back(__tw$.back(await __tw$.leave(__tw$.leave(__tw$h15 = null, __tw$i0), __tw$c15), __tw$c15), __tw$i0);
                        out.push(i);
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
        return (__tw$r15 = out);
        __tw$r15 = undefined;
    }
    catch (__tw$e) {
        __tw$r15 = __tw$c15;
        try {
            __tw$e = __tw$.fail(__tw$c15, __tw$e, __tw$h15);
        }
        catch {
            if (__tw$h15 !== undefined)
                try {
                    await __tw$h15;
                }
                catch {
                }
        }
        throw __tw$e;
    }
    finally {
        if (__tw$r15 !== __tw$c15)
            __tw$.exit(__tw$c15, __tw$r15);
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
    log(['turns: no await, awaits, for await, adopted promise, rejects', await turnsUntilSettled(noAwait(1)), await turnsUntilSettled(twice(1)), await turnsUntilSettled(sums(3)), await turnsUntilSettled(adopts(1)), await turnsUntilSettled(rejectsAfterAwait())]);
    log(['turns: return in try…finally, return in for…of, traced loop inside', await turnsUntilSettled(withFinally()), await turnsUntilSettled(firstAbove(1)), await turnsUntilSettled(tracedLoopInside())]);
    const p = twice(3);
    probe('caller while twice is suspended');
    log(await p);
    log([await handles(false), await handles(true)]);
    const s = sums(8); // suspends first at the implicit await of its `for await`
    probe('caller while sums is suspended');
    log(await s);
    log(await adopts(4));
    log(await foreign());
    try {
        const q = failsLater('late');
        probe('caller while failsLater is suspended');
        await q;
    }
    catch (e) {
        log(e.message);
    }
    log([await noAwait(-1), await noAwait(1)]);
    log(await arrow(2));
    log(await new Child().greet());
    log(await nestedCallbacks([1, 2]));
    log(await withFinally());
    log(await firstAbove(0));
    log(await firstAbove(5));
    log(syncFinally(false));
    try {
        syncFinally(true);
    }
    catch (e) {
        log(e.message);
    }
    log(await tracedLoopInside());
    probe('caller after');
    return 'done';
}
