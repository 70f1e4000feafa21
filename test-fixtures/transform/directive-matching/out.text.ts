import * as __tw$ from "@tracewright/runtime/inject"; //@trace
function compact() { return __tw$.fn("compact", undefined, {}, () => { return 1; }); }

// @tracer is not a directive
function notTraced() { return 2; }

const x = notTraced(); // @trace
function trailingNotAttached() { return 3; }

// @trace

function blankLineGap() { return 4; }

// @trace
// a plain comment between the directive and the function is fine
function commentBetween() { return __tw$.fn("commentBetween", undefined, {}, () => { return 5; }); }

const s = '// @trace inside a string is not a directive';

export function run(log: (x: unknown) => void) {
  log(s);
  return [compact(), x, trailingNotAttached(), blankLineGap(), commentBetween()];
}
