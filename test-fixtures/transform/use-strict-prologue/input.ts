"use strict";
// @trace
function strictCheck(this: unknown) {
  return this === undefined;
}

export function run(log: (x: unknown) => void) {
  log('strict');
  return strictCheck();
}
