import * as __tw$ from "@tracewright/runtime/inject"; const tools = {
  prefix: 'tool',
  // @trace
  describe(id: number) { const __tw$c0 = __tw$.enter("describe", undefined, { id }); try {
    return __tw$.exit(__tw$c0, `${this.prefix}-${id}`);
  } catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); },
  // @trace(TOOL)
  lookup: (key: string) => { const __tw$c1 = __tw$.enter("lookup", "TOOL", { key }); try { return __tw$.exit(__tw$c1, key.toUpperCase()); } catch (__tw$e) { throw __tw$.fail(__tw$c1, __tw$e); } },
};

export function run(log: (x: unknown) => void) {
  log(tools.describe.name);
  return [tools.describe(7), tools.lookup('k')];
}
