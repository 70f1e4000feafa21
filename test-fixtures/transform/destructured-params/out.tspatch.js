import * as __tw$ from "@tracewright/runtime/inject";
// @trace
function configure({ host, port: p = 80, ...extra }, [first, , third]) {
    return __tw$.fn("configure", undefined, { host, p, extra, first, third }, () => {
        return `${host}:${p} ${Object.keys(extra).join()} ${first}${third}`;
    });
}
export function run(log) {
    log(configure.length);
    return configure({ host: 'h', debug: true }, ['a', 'b', 'c']);
}
