import * as __tw$ from "@tracewright/runtime/inject";
function format(value, upper = false) {
    const __tw$c0 = __tw$.enter("format", undefined, { value, upper });
    try {
        return __tw$.exit(__tw$c0, typeof value === 'number' ? value.toFixed(1) : upper ? value.toUpperCase() : value);
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c0, __tw$e);
    }
    __tw$.exit(__tw$c0, undefined);
}
class Parser {
    parse(x) {
        const __tw$c1 = __tw$.enter("parse", undefined, { x });
        try {
            return __tw$.exit(__tw$c1, Number(x));
        }
        catch (__tw$e) {
            throw __tw$.fail(__tw$c1, __tw$e);
        }
        __tw$.exit(__tw$c1, undefined);
    }
}
export function run(log) {
    log(format(1));
    return [format('ab', true), new Parser().parse('42')];
}
