import * as __tw$ from "@tracewright/runtime/inject";
export function run(log) {
    log(typeof early);
    return early(2);
}
// @trace
function early(n) {
    return __tw$.fn("early", undefined, { n }, () => {
        return n + helper();
        // @trace
        function helper() {
            return __tw$.fn("helper", undefined, {}, () => {
                return 40;
            });
        }
    });
}
