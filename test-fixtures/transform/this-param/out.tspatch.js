import * as __tw$ from "@tracewright/runtime/inject";
// @trace
function scale(value) {
    return __tw$.fn("scale", undefined, { value }, () => {
        return this.factor * value;
    });
}
export function run(log) {
    log(scale.length);
    return scale.call({ factor: 3 }, 7);
}
