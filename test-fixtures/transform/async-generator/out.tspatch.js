import * as __tw$ from "@tracewright/runtime/inject";
// @trace
async function* ticks(n) {
    return yield* __tw$.gen("ticks", undefined, { n }, async function* () {
        for (let i = 0; i < n; i++) {
            await null;
            yield `tick${i}`;
        }
    }.call(this));
}
export async function run(log) {
    const out = [];
    for await (const t of ticks(3)) {
        log(t);
        out.push(t);
    }
    return out;
}
