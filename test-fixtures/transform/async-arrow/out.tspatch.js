import * as __tw$ from "@tracewright/runtime/inject";
// @trace(EMBEDDING)
const embed = async (text) => __tw$.fn("embed", "EMBEDDING", { text }, async () => text.length * 0.5);
const client = {
    // @trace(LLM)
    async complete(prompt, { temperature = 0.2 } = {}) {
        return __tw$.fn("complete", "LLM", { prompt, temperature }, async () => {
            const vector = await embed(prompt);
            return `${prompt}:${vector}:${temperature}`;
        });
    },
};
export async function run(log) {
    log(embed.name);
    log(client.complete.length);
    return await client.complete('hi');
}
