import * as __tw$ from "@tracewright/runtime/inject"; const tools = {
  prefix: 'tool',
  // @trace
  describe(id: number) { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "describe", undefined, { id }); try {
    return __tw$.exit(__tw$c0, `${this.prefix}-${id}`);
  } catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); },
  // @trace(TOOL)
  lookup: (key: string) => { let __tw$c1 = __tw$.context(); __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "lookup", "TOOL", { key }); try { return __tw$.exit(__tw$c1, key.toUpperCase()); } catch (__tw$e) { throw __tw$.fail(__tw$c1, __tw$e); } },
};

export function run(log: (x: unknown) => void) {
  log(tools.describe.name);
  return [tools.describe(7), tools.lookup('k')];
}
