var __addDisposableResource = (this && this.__addDisposableResource) || function (env, value, async) {
    if (value !== null && value !== void 0) {
        if (typeof value !== "object" && typeof value !== "function") throw new TypeError("Object expected.");
        var dispose, inner;
        if (async) {
            if (!Symbol.asyncDispose) throw new TypeError("Symbol.asyncDispose is not defined.");
            dispose = value[Symbol.asyncDispose];
        }
        if (dispose === void 0) {
            if (!Symbol.dispose) throw new TypeError("Symbol.dispose is not defined.");
            dispose = value[Symbol.dispose];
            if (async) inner = dispose;
        }
        if (typeof dispose !== "function") throw new TypeError("Object not disposable.");
        if (inner) dispose = function() { try { inner.call(this); } catch (e) { return Promise.reject(e); } };
        env.stack.push({ value: value, dispose: dispose, async: async });
    }
    else if (async) {
        env.stack.push({ async: true });
    }
    return value;
};
var __disposeResources = (this && this.__disposeResources) || (function (SuppressedError) {
    return function (env) {
        function fail(e) {
            env.error = env.hasError ? new SuppressedError(e, env.error, "An error was suppressed during disposal.") : e;
            env.hasError = true;
        }
        var r, s = 0;
        function next() {
            while (r = env.stack.pop()) {
                try {
                    if (!r.async && s === 1) return s = 0, env.stack.push(r), Promise.resolve().then(next);
                    if (r.dispose) {
                        var result = r.dispose.call(r.value);
                        if (r.async) return s |= 2, Promise.resolve(result).then(next, function(e) { fail(e); return next(); });
                    }
                    else s |= 1;
                }
                catch (e) {
                    fail(e);
                }
            }
            if (s === 1) return env.hasError ? Promise.reject(env.error) : Promise.resolve();
            if (env.hasError) throw env.error;
        }
        return next();
    };
})(typeof SuppressedError === "function" ? SuppressedError : function (error, suppressed, message) {
    var e = new Error(message);
    return e.name = "SuppressedError", e.error = error, e.suppressed = suppressed, e;
});
import * as __tw$ from "@tracewright/runtime/inject";
// `await using` in an async function traced inline (issue 12): the disposals' implicit awaits
// add no microtask turn (the function's promise settles on the same turn as untraced), the
// caller never sees the span as active while the function is suspended at a disposal, and the
// span ends after every disposal. probe() records, as its span's parent, what was active.
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
class Resource {
    name;
    log;
    failing;
    constructor(name, log, failing = false) {
        this.name = name;
        this.log = log;
        this.failing = failing;
    }
    async [Symbol.asyncDispose]() {
        this.log.push(`dispose ${this.name}`);
        await null;
        if (this.failing)
            throw new Error(`dispose ${this.name} failed`);
    }
}
class SyncResource {
    name;
    log;
    constructor(name, log) {
        this.name = name;
        this.log = log;
    }
    [Symbol.dispose]() {
        this.log.push(`dispose ${this.name}`);
    }
}
// The first suspension is a disposal: no await before it.
// @trace
async function disposesFirst(log) {
    let __tw$c1 = __tw$.context();
    __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "disposesFirst", undefined, { log });
    let __tw$r1, __tw$h1;
    try {
        const env_1 = { stack: [], error: void 0, hasError: false };
        try {
            const a = __addDisposableResource(env_1, new Resource('a', log), true);
            const __tw$g1 = __addDisposableResource(env_1, __tw$.disposing(__tw$c1), false);
            probe('body');
            return (__tw$r1 = log.length);
            __tw$r1 = undefined;
        }
        catch (e_1) {
            env_1.error = e_1;
            env_1.hasError = true;
        }
        finally {
            const result_1 = __disposeResources(env_1);
            if (result_1)
                await result_1;
        }
    }
    catch (__tw$e) {
        __tw$r1 = __tw$c1;
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
    finally {
        if (__tw$r1 !== __tw$c1)
            __tw$.exit(__tw$c1, __tw$r1);
    }
}
// @trace
async function nestedBlock(log) {
    let __tw$c2 = __tw$.context();
    __tw$c2 = __tw$c2 === null ? undefined : __tw$.enterIn(__tw$c2, "nestedBlock", undefined, { log });
    let __tw$r2, __tw$h2;
    try {
        __tw$.back(await __tw$.leave(__tw$h2 = null, __tw$c2), __tw$c2);
        try {
            {
                const env_2 = { stack: [], error: void 0, hasError: false };
                try {
                    const b = __addDisposableResource(env_2, new Resource('b', log), true);
                    const c = __addDisposableResource(env_2, new SyncResource('c', log), false);
                    const d = __addDisposableResource(env_2, new Resource('d', log), true);
                    const __tw$g2 = __addDisposableResource(env_2, __tw$.disposing(__tw$c2), false);
                    log.push('block body');
                }
                catch (e_2) {
                    env_2.error = e_2;
                    env_2.hasError = true;
                }
                finally {
                    const result_2 = __disposeResources(env_2);
                    if (result_2)
                        await result_2;
                }
            }
        }
        finally {
            __tw$.back(undefined, __tw$c2);
        }
        probe('after block');
        return (__tw$r2 = [...log]);
        __tw$r2 = undefined;
    }
    catch (__tw$e) {
        __tw$r2 = __tw$c2;
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
    finally {
        if (__tw$r2 !== __tw$c2)
            __tw$.exit(__tw$c2, __tw$r2);
    }
}
// @trace
async function disposalFails(log) {
    let __tw$c3 = __tw$.context();
    __tw$c3 = __tw$c3 === null ? undefined : __tw$.enterIn(__tw$c3, "disposalFails", undefined, { log });
    let __tw$r3, __tw$h3;
    try {
        try {
            try {
                const env_3 = { stack: [], error: void 0, hasError: false };
                try {
                    const e = __addDisposableResource(env_3, new Resource('e', log, true), true);
                    const __tw$g3 = __addDisposableResource(env_3, __tw$.disposing(__tw$c3), false);
                    log.push('try body');
                }
                catch (e_3) {
                    env_3.error = e_3;
                    env_3.hasError = true;
                }
                finally {
                    const result_3 = __disposeResources(env_3);
                    if (result_3)
                        await result_3;
                }
            }
            catch (error) {
                __tw$.back(undefined, __tw$c3);
                probe(`caught ${error.message}`);
            }
        }
        finally {
            __tw$.back(undefined, __tw$c3);
        }
        return (__tw$r3 = 'recovered');
        __tw$r3 = undefined;
    }
    catch (__tw$e) {
        __tw$r3 = __tw$c3;
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
    finally {
        if (__tw$r3 !== __tw$c3)
            __tw$.exit(__tw$c3, __tw$r3);
    }
}
// @trace
async function nullResource(log) {
    let __tw$c4 = __tw$.context();
    __tw$c4 = __tw$c4 === null ? undefined : __tw$.enterIn(__tw$c4, "nullResource", undefined, { log });
    let __tw$r4, __tw$h4;
    try {
        const env_4 = { stack: [], error: void 0, hasError: false };
        try {
            const none = __addDisposableResource(env_4, null, true);
            const f = __addDisposableResource(env_4, new Resource('f', log), true);
            const __tw$g4 = __addDisposableResource(env_4, __tw$.disposing(__tw$c4), false);
            log.push('with null');
            return (__tw$r4 = 'null ok');
            __tw$r4 = undefined;
        }
        catch (e_4) {
            env_4.error = e_4;
            env_4.hasError = true;
        }
        finally {
            const result_4 = __disposeResources(env_4);
            if (result_4)
                await result_4;
        }
    }
    catch (__tw$e) {
        __tw$r4 = __tw$c4;
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
    finally {
        if (__tw$r4 !== __tw$c4)
            __tw$.exit(__tw$c4, __tw$r4);
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
    const scratch = [];
    // (Not for nullResource: how many turns a null resource takes differs between TypeScript's and
    // esbuild's downlevel helpers, which the ts-patch and untransformed runs use.)
    log(['turns: disposal first, nested block, failing disposal', await turnsUntilSettled(disposesFirst(scratch)), await turnsUntilSettled(nestedBlock(scratch)), await turnsUntilSettled(disposalFails(scratch))]);
    const order = [];
    const p = disposesFirst(order);
    probe('caller while disposesFirst is suspended at its disposal');
    order.push('caller');
    log(await p);
    log(await nestedBlock(order));
    log(await disposalFails(order));
    log(await nullResource(order));
    log(order);
    probe('caller after');
    return 'done';
}
