import * as __tw$ from "@tracewright/runtime/inject"; // @trace(EMBEDDING)
const embed = async (text: string) => { const __tw$c0 = __tw$.enter("embed", "EMBEDDING", { text }); try { return __tw$.exit(__tw$c0, text.length * 0.5); } catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } };

const client = {
  // @trace(LLM)
  async complete(prompt: string, { temperature = 0.2 } = {}) { const __tw$c1 = __tw$.enter("complete", "LLM", { prompt, temperature }); try {
    const vector = __tw$.back(await __tw$.leave(embed(prompt), __tw$c1), __tw$c1);
    return __tw$.exit(__tw$c1, `${prompt}:${vector}:${temperature}`);
  } catch (__tw$e) { throw __tw$.fail(__tw$c1, __tw$e); } __tw$.exit(__tw$c1, undefined); },
};

export async function run(log: (x: unknown) => void) {
  log(embed.name);
  log(client.complete.length);
  return await client.complete('hi');
}
