import * as __tw$ from "@tracewright/runtime/inject"; // @trace
function format(value: number): string;
function format(value: string, upper: boolean): string;
function format(value: number | string, upper = false): string { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "format", undefined, { value, upper }); try {
  return __tw$.exit(__tw$c0, typeof value === 'number' ? value.toFixed(1) : upper ? value.toUpperCase() : value);
} catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); }

class Parser {
  // @trace
  parse(x: string): number;
  parse(x: number): number;
  parse(x: string | number): number { let __tw$c1 = __tw$.context(); __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "parse", undefined, { x }); try {
    return __tw$.exit(__tw$c1, Number(x));
  } catch (__tw$e) { throw __tw$.fail(__tw$c1, __tw$e); } __tw$.exit(__tw$c1, undefined); }
}

export function run(log: (x: unknown) => void) {
  log(format(1));
  return [format('ab', true), new Parser().parse('42')];
}
