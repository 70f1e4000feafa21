import * as __tw$ from "@tracewright/runtime/inject"; const tools = {
  prefix: 'tool',
  // @trace
  describe(id: number) { return __tw$.fn("describe", undefined, { id }, () => {
    return `${this.prefix}-${id}`;
  }); },
  // @trace(TOOL)
  lookup: (key: string) => __tw$.fn("lookup", "TOOL", { key }, () => key.toUpperCase()),
};

export function run(log: (x: unknown) => void) {
  log(tools.describe.name);
  return [tools.describe(7), tools.lookup('k')];
}
