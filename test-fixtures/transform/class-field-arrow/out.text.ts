import * as __tw$ from "@tracewright/runtime/inject"; class Handler {
  base = 100;
  // @trace({ name: "handle" })
  onEvent = (delta: number) => { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "onEvent", { name: "handle" }, { delta }); try { return __tw$.exit(__tw$c0, this.base + delta); } catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } };
  // @trace
  onBlock = (delta: number) => { let __tw$c1 = __tw$.context(); __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "onBlock", undefined, { delta }); try {
    return __tw$.exit(__tw$c1, this.base - delta);
  } catch (__tw$e) { throw __tw$.fail(__tw$c1, __tw$e); } __tw$.exit(__tw$c1, undefined); };
}

export function run(log: (x: unknown) => void) {
  const h = new Handler();
  const detached = h.onEvent;
  log(h.onEvent.name);
  return [detached(1), h.onBlock(1)];
}
