import * as __tw$ from "@tracewright/runtime/inject"; // @trace
export default function (text: string) { return __tw$.fn("default", undefined, { text }, () => {
  return text.split(' ').length;
}); }

// @trace
export function run(log: (x: unknown) => void) { return __tw$.fn("run", undefined, { log }, () => {
  log('start');
  return countWords('a b c');
}); }
import countWords from './fn-export-default.js';
