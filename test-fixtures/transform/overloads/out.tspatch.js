import * as __tw$ from "@tracewright/runtime/inject";
function format(value, upper = false) {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "format", undefined, { value, upper });
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
        let __tw$c1 = __tw$.context();
        __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "parse", undefined, { x });
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
