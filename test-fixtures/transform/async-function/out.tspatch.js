import * as __tw$ from "@tracewright/runtime/inject";
// @trace
async function fetchUser(id) {
    return __tw$.fn("fetchUser", undefined, { id }, async () => {
        await new Promise((r) => setTimeout(r, 1));
        return { id, name: `user${id}` };
    });
}
export async function run(log) {
    const p = fetchUser(1);
    log(p instanceof Promise);
    return await p;
}
