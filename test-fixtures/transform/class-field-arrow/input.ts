class Handler {
  base = 100;
  // @trace({ name: "handle" })
  onEvent = (delta: number) => this.base + delta;
  // @trace
  onBlock = (delta: number) => {
    return this.base - delta;
  };
}

export function run(log: (x: unknown) => void) {
  const h = new Handler();
  const detached = h.onEvent;
  log(h.onEvent.name);
  return [detached(1), h.onBlock(1)];
}
