"use strict"; import * as __tw$ from "@tracewright/runtime/inject"; 
// @trace
function strictCheck(this: unknown) { return __tw$.fn("strictCheck", undefined, {}, () => {
  return this === undefined;
}); }

export function run(log: (x: unknown) => void) {
  log('strict');
  return strictCheck();
}
