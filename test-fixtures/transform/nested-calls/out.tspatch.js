import * as __tw$ from "@tracewright/runtime/inject";
// @trace(RETRIEVER)
function retrieve(query) {
    const __tw$c0 = __tw$.enter("retrieve", "RETRIEVER", { query });
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
    return __tw$.fn("answer", "LLM", { question }, async () => {
        const docs = retrieve(question);
        await null;
        return `${question}: ${docs.length} docs`;
    });
}
// @trace(AGENT)
export async function run(log) {
    return __tw$.fn("run", "AGENT", { log }, async () => {
        const a = await answer('why');
        log(a);
        return a;
    });
}
