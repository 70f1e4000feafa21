import * as __tw$ from "@tracewright/runtime/inject";
class NotFound extends Error {
    id;
    constructor(id) {
        super(`no item ${id}`);
        this.id = id;
        this.name = 'NotFound';
    }
}
// @trace
async function load(id) {
    return __tw$.fn("load", undefined, { id }, async () => {
        await null;
        throw new NotFound(id);
    });
}
export async function run(log) {
    try {
        await load(9);
    }
    catch (e) {
        log(e instanceof NotFound);
        log(e.id);
        throw e;
    }
}
