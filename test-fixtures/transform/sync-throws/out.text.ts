import * as __tw$ from "@tracewright/runtime/inject"; const sentinel = new TypeError('bad input');

// @trace
function validate(input: unknown) { return __tw$.fn("validate", undefined, { input }, () => {
  if (typeof input !== 'string') throw sentinel;
  return input;
}); }

export function run(log: (x: unknown) => void) {
  log(validate('ok'));
  try {
    validate(42);
  } catch (e) {
    log(e === sentinel);
  }
  return 'done';
}
