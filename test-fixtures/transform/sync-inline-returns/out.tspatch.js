import * as __tw$ from "@tracewright/runtime/inject";
// Sync functions are traced inline (issue 12 item 13): every `return` of the function itself
// ends its span (not those of nested functions, classes, getters); falling off the end and
// throwing end it too. Where code of the function runs after a return value is taken (a
// `finally`, the iterator closed when a return leaves a `for…of`), the function keeps the
// closure form, so the span still ends after that code: `note` spans recorded there are
// children of the function's span.
const order = [];
// @trace
function note(message) {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "note", undefined, { message });
    try {
        order.push(message);
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c0, __tw$e);
    }
    __tw$.exit(__tw$c0, undefined);
}
function* letters() {
    try {
        yield 'a';
        yield 'b';
    }
    finally {
        note('letters closed');
    }
}
// @trace
function classify(n) {
    let __tw$c1 = __tw$.context();
    __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "classify", undefined, { n });
    try {
        switch (true) {
            case n < 0:
                return __tw$.exit(__tw$c1, 'negative');
            case n === 0: {
                return __tw$.exit(__tw$c1, 'zero');
            }
        }
        block: {
            if (n > 100)
                break block;
            return __tw$.exit(__tw$c1, n % 2 ? 'odd' : 'even');
        }
        return __tw$.exit(__tw$c1, 'large');
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c1, __tw$e);
    }
    __tw$.exit(__tw$c1, undefined);
}
// @trace
function bare(flag) {
    let __tw$c2 = __tw$.context();
    __tw$c2 = __tw$c2 === null ? undefined : __tw$.enterIn(__tw$c2, "bare", undefined, { flag });
    try {
        order.push('bare');
        if (flag)
            return __tw$.exit(__tw$c2, undefined);
        order.push('bare end');
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c2, __tw$e);
    }
    __tw$.exit(__tw$c2, undefined);
}
// @trace
function commaValue(n) {
    let __tw$c3 = __tw$.context();
    __tw$c3 = __tw$c3 === null ? undefined : __tw$.enterIn(__tw$c3, "commaValue", undefined, { n });
    try {
        return __tw$.exit(__tw$c3, (order.push('comma'), n * 3));
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c3, __tw$e);
    }
    __tw$.exit(__tw$c3, undefined);
}
// @trace
function nested(n) {
    let __tw$c4 = __tw$.context();
    __tw$c4 = __tw$c4 === null ? undefined : __tw$.enterIn(__tw$c4, "nested", undefined, { n });
    try {
        const inner = () => { return n + 1; };
        class Local {
            get v() { return inner(); }
        }
        function helper() { return 10; }
        return __tw$.exit(__tw$c4, new Local().v + helper());
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c4, __tw$e);
    }
    __tw$.exit(__tw$c4, undefined);
}
// @trace
function caught(n) {
    let __tw$c5 = __tw$.context();
    __tw$c5 = __tw$c5 === null ? undefined : __tw$.enterIn(__tw$c5, "caught", undefined, { n });
    try {
        try {
            if (n > 0)
                throw new RangeError('too big');
            return __tw$.exit(__tw$c5, 'fine');
        }
        catch (e) {
            return __tw$.exit(__tw$c5, `caught ${e.message}`);
        }
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c5, __tw$e);
    }
    __tw$.exit(__tw$c5, undefined);
}
// @trace
function withFinally(n) {
    let __tw$c6 = __tw$.context();
    __tw$c6 = __tw$c6 === null ? undefined : __tw$.enterIn(__tw$c6, "withFinally", undefined, { n });
    let __tw$r6;
    try {
        try {
            return (__tw$r6 = n * 2);
        }
        finally {
            note('finally ran');
        }
        __tw$r6 = undefined;
    }
    catch (__tw$e) {
        __tw$r6 = __tw$c6;
        throw __tw$.fail(__tw$c6, __tw$e);
    }
    finally {
        if (__tw$r6 !== __tw$c6)
            __tw$.exit(__tw$c6, __tw$r6);
    }
}
// @trace
function firstLetter() {
    let __tw$c7 = __tw$.context();
    __tw$c7 = __tw$c7 === null ? undefined : __tw$.enterIn(__tw$c7, "firstLetter", undefined, {});
    let __tw$r7;
    try {
        for (const l of letters()) {
            return (__tw$r7 = l);
        }
        return (__tw$r7 = 'none');
        __tw$r7 = undefined;
    }
    catch (__tw$e) {
        __tw$r7 = __tw$c7;
        throw __tw$.fail(__tw$c7, __tw$e);
    }
    finally {
        if (__tw$r7 !== __tw$c7)
            __tw$.exit(__tw$c7, __tw$r7);
    }
}
// @trace
function countLetters() {
    let __tw$c8 = __tw$.context();
    __tw$c8 = __tw$c8 === null ? undefined : __tw$.enterIn(__tw$c8, "countLetters", undefined, {});
    try {
        let k = 0;
        for (const l of letters())
            k += l.length;
        return __tw$.exit(__tw$c8, k);
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c8, __tw$e);
    }
    __tw$.exit(__tw$c8, undefined);
}
// @trace
function fallsOff(xs) {
    let __tw$c9 = __tw$.context();
    __tw$c9 = __tw$c9 === null ? undefined : __tw$.enterIn(__tw$c9, "fallsOff", undefined, { xs });
    try {
        xs.push(1);
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c9, __tw$e);
    }
    __tw$.exit(__tw$c9, undefined);
}
// @trace
function promised(v) {
    let __tw$c10 = __tw$.context();
    __tw$c10 = __tw$c10 === null ? undefined : __tw$.enterIn(__tw$c10, "promised", undefined, { v });
    try {
        return __tw$.exit(__tw$c10, Promise.resolve(v));
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c10, __tw$e);
    }
    __tw$.exit(__tw$c10, undefined);
}
// @trace
function thrower() {
    let __tw$c11 = __tw$.context();
    __tw$c11 = __tw$c11 === null ? undefined : __tw$.enterIn(__tw$c11, "thrower", undefined, {});
    try {
        throw new TypeError('nope');
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c11, __tw$e);
    }
    __tw$.exit(__tw$c11, undefined);
}
// @trace
const adder = (a) => {
    let __tw$c12 = __tw$.context();
    __tw$c12 = __tw$c12 === null ? undefined : __tw$.enterIn(__tw$c12, "adder", undefined, { a });
    try {
        return __tw$.exit(__tw$c12, (b) => a + b);
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c12, __tw$e);
    }
};
export async function run(log) {
    log([classify(-1), classify(0), classify(3), classify(4), classify(200)]);
    log([bare(true), bare(false)]);
    log(commaValue(2));
    log(nested(1));
    log([caught(0), caught(1)]);
    log(withFinally(4));
    log(firstLetter());
    log(countLetters());
    const xs = [];
    log([fallsOff(xs), xs]);
    const p = promised(7);
    log(p instanceof Promise);
    log(await p);
    try {
        thrower();
    }
    catch (e) {
        log(e.message);
    }
    log(adder(1)(2));
    log(order);
    return 'done';
}
