import * as __tw$ from "@tracewright/runtime/inject";
// @trace
function* naturals() {
    return yield* __tw$.gen("naturals", undefined, {}, function* () {
        let n = 0;
        try {
            while (true)
                yield n++;
        }
        finally {
            cleanup.push('closed');
        }
    }.call(this));
}
const cleanup = [];
export function run(log) {
    for (const n of naturals()) {
        log(n);
        if (n === 2)
            break;
    }
    const it = naturals();
    it.next();
    log(it.return(99));
    return cleanup;
}
