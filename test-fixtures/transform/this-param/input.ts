interface Ctx {
  factor: number;
}

// @trace
function scale(this: Ctx, value: number) {
  return this.factor * value;
}

export function run(log: (x: unknown) => void) {
  log(scale.length);
  return scale.call({ factor: 3 }, 7);
}
