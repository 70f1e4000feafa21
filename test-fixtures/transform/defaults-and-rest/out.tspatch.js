import * as __tw$ from "@tracewright/runtime/inject";
let calls = 0;
const nextId = () => ++calls;
// @trace
function tag(label, id = nextId(), ...extras) {
    return __tw$.fn("tag", undefined, { label, id, extras }, () => {
        return [label, id, extras];
    });
}
export function run(log) {
    log(tag('a'));
    log(tag('b', 10, 'x', 'y'));
    return calls;
}
