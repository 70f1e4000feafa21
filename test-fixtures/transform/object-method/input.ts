const tools = {
  prefix: 'tool',
  // @trace
  describe(id: number) {
    return `${this.prefix}-${id}`;
  },
  // @trace(TOOL)
  lookup: (key: string) => key.toUpperCase(),
};

export function run(log: (x: unknown) => void) {
  log(tools.describe.name);
  return [tools.describe(7), tools.lookup('k')];
}
