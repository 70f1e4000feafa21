// Child program for autolog-order.test.ts: `autolog()` called the way the seed shows it (no
// `await`), with the SDK loaded in the order given by argv[2]; prints the spans recorded.
//   plain-autolog-child.mjs <order> <baseURL>
import { InMemoryDestination, setDestination, trace } from '@tracewright/runtime';
import { autolog } from '@tracewright/runtime/openai';
import { createRequire } from 'node:module';

const [order, baseURL] = process.argv.slice(2);
const dest = new InMemoryDestination();
setDestination(dest);

let OpenAI;
if (order === 'dynamic-after') {
  autolog();
  ({ default: OpenAI } = await import('openai'));
} else if (order === 'require-after') {
  autolog();
  OpenAI = createRequire(import.meta.url)('openai');
} else {
  throw new Error(`unknown order ${order}`);
}
const client = new OpenAI({ baseURL, apiKey: 'sk-test' });
const ask = trace(async function ask(question) {
  const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: question }] });
  return r.choices[0].message.content;
});
console.log(await ask('hello'));
console.log(JSON.stringify(dest.traces.map((t) => t.data.spans.map((s) => `${s.spanType}:${s.name}`))));
