// Child program for providers-order.test.ts: a plain `autolog()` (no `await`) of one provider
// integration, then the SDK loaded by `import()` or `require`, one call inside a traced function;
// prints the answer and the spans recorded.
//   provider-autolog-child.mjs <provider> <dynamic-after|require-after> <serverURL>
import { InMemoryDestination, setDestination, trace } from '@tracewright/runtime';
import { createRequire } from 'node:module';

const [provider, order, url] = process.argv.slice(2);
const dest = new InMemoryDestination();
setDestination(dest);

const SPECIFIERS = { 'google-genai': '@google/genai', bedrock: '@aws-sdk/client-bedrock-runtime', mistral: '@mistralai/mistralai', ollama: 'ollama', cohere: 'cohere-ai' };
const { autolog } = await import(`@tracewright/runtime/${provider}`);
autolog();
const sdk = order === 'require-after' ? createRequire(import.meta.url)(SPECIFIERS[provider]) : await import(SPECIFIERS[provider]);

const CALLS = {
  'google-genai': async (q) => (await new sdk.GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: url } }).models.generateContent({ model: 'gemini-test', contents: q })).text,
  bedrock: async (q) => {
    const client = new sdk.BedrockRuntimeClient({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'test-secret' }, maxAttempts: 1 });
    return (await client.send(new sdk.ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: q }] }] }))).output.message.content[0].text;
  },
  mistral: async (q) => (await new sdk.Mistral({ apiKey: 'test-key', serverURL: url }).chat.complete({ model: 'mistral-small-latest', messages: [{ role: 'user', content: q }] })).choices[0].message.content,
  ollama: async (q) => (await new sdk.Ollama({ host: url }).chat({ model: 'llama3.2', messages: [{ role: 'user', content: q }] })).message.content,
  cohere: async (q) => (await new sdk.CohereClientV2({ token: 'test-key', environment: url, maxRetries: 0 }).chat({ model: 'command-a', messages: [{ role: 'user', content: q }] })).message.content[0].text,
};
const ask = trace(async function ask(question) {
  return CALLS[provider](question);
});
console.log(await ask('hello'));
console.log(JSON.stringify(dest.traces.map((t) => t.data.spans.map((s) => `${s.spanType}:${s.name}`))));
