import * as __tw$ from "@tracewright/runtime/inject";
// @trace
let greet = (name, punctuation = '!') => {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "greet", undefined, { name, punctuation });
    try {
        const text = `hello ${name}${punctuation}`;
        return __tw$.exit(__tw$c0, text);
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c0, __tw$e);
    }
    __tw$.exit(__tw$c0, undefined);
};
export function run(log) {
    log(greet.name);
    return greet('ada');
}
