import * as __tw$ from "@tracewright/runtime/inject"; // @trace
export default function (text: string) { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "default", undefined, { text }); try {
  return __tw$.exit(__tw$c0, text.split(' ').length);
} catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); }

// @trace
export function run(log: (x: unknown) => void) { let __tw$c1 = __tw$.context(); __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "run", undefined, { log }); try {
  log('start');
  return __tw$.exit(__tw$c1, countWords('a b c'));
} catch (__tw$e) { throw __tw$.fail(__tw$c1, __tw$e); } __tw$.exit(__tw$c1, undefined); }
import countWords from './fn-export-default.js';
