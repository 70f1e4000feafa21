// Child program for frameworks-order.test.ts: a plain `autolog()` (no `await`) of one framework
// integration, then the framework loaded by `import()` or `require`, one call inside a traced
// function; prints the answer and the spans recorded.
//   framework-autolog-child.mjs <ax|llamaindex> <dynamic-after|require-after> <baseURL>
import { InMemoryDestination, setDestination, trace } from '@tracewright/runtime';
import { createRequire } from 'node:module';

const [framework, order, baseURL] = process.argv.slice(2);
const dest = new InMemoryDestination();
setDestination(dest);

const { autolog } = await import(`@tracewright/runtime/${framework}`);
autolog();
const load = order === 'require-after' ? async (s) => createRequire(import.meta.url)(s) : (s) => import(s);

const CALLS = {
  ax: async () => {
    const { ai, ax } = await load('@ax-llm/ax');
    const service = ai({ name: 'openai', apiKey: 'test-key', apiURL: baseURL, config: { model: 'gpt-4o-mini' } });
    return async (q) => (await ax('question:string -> answer:string').forward(service, { question: q })).answer;
  },
  llamaindex: async () => {
    const [{ OpenAI }, { SimpleChatEngine }] = await Promise.all([load('@llamaindex/openai'), load('@llamaindex/core/chat-engine')]);
    const engine = new SimpleChatEngine({ llm: new OpenAI({ model: 'gpt-4o-mini', apiKey: 'test-key', baseURL, maxRetries: 0 }) });
    return async (q) => (await engine.chat({ message: q })).message.content;
  },
};
const call = await CALLS[framework]();
const ask = trace(async function ask(question) {
  return call(question);
});
console.log(await ask('hello'));
console.log(JSON.stringify(dest.traces.map((t) => t.data.spans.map((s) => `${s.spanType}:${s.name}`))));
