import * as __tw$ from "@tracewright/runtime/inject";
let calls = 0;
const nextId = () => ++calls;
// @trace
function tag(label, id = nextId(), ...extras) {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "tag", undefined, { label, id, extras });
    try {
        return __tw$.exit(__tw$c0, [label, id, extras]);
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c0, __tw$e);
    }
    __tw$.exit(__tw$c0, undefined);
}
export function run(log) {
    log(tag('a'));
    log(tag('b', 10, 'x', 'y'));
    return calls;
}
