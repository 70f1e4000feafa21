import * as __tw$ from "@tracewright/runtime/inject"; // @trace
let greet = (name: string, punctuation = '!') => { return __tw$.fn("greet", undefined, { name, punctuation }, () => {
  const text = `hello ${name}${punctuation}`;
  return text;
}); };

export function run(log: (x: unknown) => void) {
  log(greet.name);
  return greet('ada');
}
