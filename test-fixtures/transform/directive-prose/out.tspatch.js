import * as __tw$ from "@tracewright/runtime/inject";
// Comments and strings that talk about directives and generated names are prose (issue 12 item 9).
// Mark a function with a `// @trace` comment above it to trace it; see also /* @trace */ docs.
// Generated code imports the runtime as __tw$, from "@tracewright/runtime/inject".
/* Block comments too: // @trace is only a directive at the start of its own comment. */
const note = 'a string with // @trace and __tw$ in it';
const template = `and a template: // @trace ${note.length} __tw$`;
// @trace
function traced(x) {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "traced", undefined, { x });
    try {
        // a comment inside, mentioning // @trace and __tw$i0
        return __tw$.exit(__tw$c0, x + 1); // trailing prose: use // @trace on functions
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c0, __tw$e);
    }
    __tw$.exit(__tw$c0, undefined);
}
export function run(log) {
    log(template);
    return traced(1);
}
