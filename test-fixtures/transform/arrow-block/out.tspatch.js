import * as __tw$ from "@tracewright/runtime/inject";
// @trace
let greet = (name, punctuation = '!') => {
    return __tw$.fn("greet", undefined, { name, punctuation }, () => {
        const text = `hello ${name}${punctuation}`;
        return text;
    });
};
export function run(log) {
    log(greet.name);
    return greet('ada');
}
