// Child program for autolog-order.test.ts: the SDK imported statically (so loaded before any
// code here runs), then autolog() called plainly (argv[2] "plain") or awaited ("await"), then
// one call straight away and one a turn later. Prints the answers, then the traces' span names.
//   static-import-child.mjs <plain|await> <baseURL>
import OpenAI from 'openai';
import { InMemoryDestination, setDestination, trace } from '@tracewright/runtime';
import { autolog } from '@tracewright/runtime/openai';

const [mode, baseURL] = process.argv.slice(2);
const dest = new InMemoryDestination();
setDestination(dest);

if (mode === 'plain') autolog();
else await autolog();
autolog(); // a second plain call: never a second warning

const client = new OpenAI({ baseURL, apiKey: 'sk-test' });
const ask = trace(async function ask(question) {
  const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: question }] });
  return r.choices[0].message.content;
});
const first = await ask('straight away');
await new Promise((resolve) => setImmediate(resolve));
const second = await ask('a turn later');
console.log(`${first} | ${second}`);
console.log(JSON.stringify(dest.traces.map((t) => t.data.spans.map((s) => `${s.spanType}:${s.name}`))));
