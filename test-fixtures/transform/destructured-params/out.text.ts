import * as __tw$ from "@tracewright/runtime/inject"; // @trace
function configure({ host, port: p = 80, ...extra }: { host: string; port?: number; [k: string]: unknown }, [first, , third]: string[]) { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "configure", undefined, { host, p, extra, first, third }); try {
  return __tw$.exit(__tw$c0, `${host}:${p} ${Object.keys(extra).join()} ${first}${third}`);
} catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); }

export function run(log: (x: unknown) => void) {
  log(configure.length);
  return configure({ host: 'h', debug: true }, ['a', 'b', 'c']);
}
