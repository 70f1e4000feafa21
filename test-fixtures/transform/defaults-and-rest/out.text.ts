import * as __tw$ from "@tracewright/runtime/inject"; let calls = 0;
const nextId = () => ++calls;

// @trace
function tag(label: string, id = nextId(), ...extras: string[]) { return __tw$.fn("tag", undefined, { label, id, extras }, () => {
  return [label, id, extras];
}); }

export function run(log: (x: unknown) => void) {
  log(tag('a'));
  log(tag('b', 10, 'x', 'y'));
  return calls;
}
