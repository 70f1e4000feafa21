import * as __tw$ from "@tracewright/runtime/inject";
function format(value, upper = false) {
    return __tw$.fn("format", undefined, { value, upper }, () => {
        return typeof value === 'number' ? value.toFixed(1) : upper ? value.toUpperCase() : value;
    });
}
class Parser {
    parse(x) {
        return __tw$.fn("parse", undefined, { x }, () => {
            return Number(x);
        });
    }
}
export function run(log) {
    log(format(1));
    return [format('ab', true), new Parser().parse('42')];
}
