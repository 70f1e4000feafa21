// @trace(EMBEDDING)
const embed = async (text: string) => text.length * 0.5;

const client = {
  // @trace(LLM)
  async complete(prompt: string, { temperature = 0.2 } = {}) {
    const vector = await embed(prompt);
    return `${prompt}:${vector}:${temperature}`;
  },
};

export async function run(log: (x: unknown) => void) {
  log(embed.name);
  log(client.complete.length);
  return await client.complete('hi');
}
