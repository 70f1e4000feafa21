import * as __tw$ from "@tracewright/runtime/inject";
// @trace(EMBEDDING)
const embed = async (text) => {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "embed", "EMBEDDING", { text });
    let __tw$h0;
    try {
        return __tw$.exit(__tw$c0, __tw$h0 = text.length * 0.5);
    }
    catch (__tw$e) {
        try {
            __tw$e = __tw$.fail(__tw$c0, __tw$e, __tw$h0);
        }
        catch {
            if (__tw$h0 !== undefined)
                try {
                    await __tw$h0;
                }
                catch {
                }
        }
        throw __tw$e;
    }
};
const client = {
    // @trace(LLM)
    async complete(prompt, { temperature = 0.2 } = {}) {
        let __tw$c1 = __tw$.context();
        __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "complete", "LLM", { prompt, temperature });
        let __tw$h1;
        try {
            const vector = __tw$.back(await __tw$.leave(__tw$h1 = embed(prompt), __tw$c1), __tw$c1);
            return __tw$.exit(__tw$c1, __tw$h1 = `${prompt}:${vector}:${temperature}`);
        }
        catch (__tw$e) {
            try {
                __tw$e = __tw$.fail(__tw$c1, __tw$e, __tw$h1);
            }
            catch {
                if (__tw$h1 !== undefined)
                    try {
                        await __tw$h1;
                    }
                    catch {
                    }
            }
            throw __tw$e;
        }
        __tw$.exit(__tw$c1, undefined);
    },
};
export async function run(log) {
    log(embed.name);
    log(client.complete.length);
    return await client.complete('hi');
}
