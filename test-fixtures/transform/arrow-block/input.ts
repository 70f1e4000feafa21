// @trace
let greet = (name: string, punctuation = '!') => {
  const text = `hello ${name}${punctuation}`;
  return text;
};

export function run(log: (x: unknown) => void) {
  log(greet.name);
  return greet('ada');
}
