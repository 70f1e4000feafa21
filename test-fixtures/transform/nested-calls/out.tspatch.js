import * as __tw$ from "@tracewright/runtime/inject";
// @trace(RETRIEVER)
function retrieve(query) {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "retrieve", "RETRIEVER", { query });
    try {
        return __tw$.exit(__tw$c0, [`${query}-doc1`, `${query}-doc2`]);
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c0, __tw$e);
    }
    __tw$.exit(__tw$c0, undefined);
}
// @trace(LLM)
async function answer(question) {
    let __tw$c1 = __tw$.context();
    __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "answer", "LLM", { question });
    let __tw$h1;
    try {
        const docs = retrieve(question);
        __tw$.back(await __tw$.leave(__tw$h1 = null, __tw$c1), __tw$c1);
        return __tw$.exit(__tw$c1, __tw$h1 = `${question}: ${docs.length} docs`);
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
// @trace(AGENT)
export async function run(log) {
    let __tw$c2 = __tw$.context();
    __tw$c2 = __tw$c2 === null ? undefined : __tw$.enterIn(__tw$c2, "run", "AGENT", { log });
    let __tw$h2;
    try {
        const a = __tw$.back(await __tw$.leave(__tw$h2 = answer('why'), __tw$c2), __tw$c2);
        log(a);
        return __tw$.exit(__tw$c2, __tw$h2 = a);
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
