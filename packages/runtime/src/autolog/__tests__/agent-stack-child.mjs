// Child program for agent-stack-order.test.ts: an integration's `autolog()` called without
// `await`, with its SDK loaded in the order given; prints the answer and the spans recorded.
//   agent-stack-child.mjs <mcp|agents> <dynamic-after|require-after|import-before> [baseURL]
import { InMemoryDestination, setDestination, trace } from '@tracewright/runtime';
import { createRequire } from 'node:module';

const [integration, order, baseURL] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const dest = new InMemoryDestination();
setDestination(dest);

async function load(specifier) {
  if (order === 'dynamic-after') return import(specifier);
  if (order === 'require-after') return require(specifier);
  throw new Error(`unknown order ${order}`);
}

let answer;
if (integration === 'mcp') {
  const { autolog: mcpAutolog } = await import('@tracewright/runtime/mcp');
  mcpAutolog();
  const { Client } = await load('@modelcontextprotocol/sdk/client/index.js');
  const { McpServer } = await load('@modelcontextprotocol/sdk/server/mcp.js');
  const { InMemoryTransport } = await load('@modelcontextprotocol/sdk/inMemory.js');
  const server = new McpServer({ name: 's', version: '1.0.0' });
  server.registerTool('echo', { description: 'echo' }, async () => ({ content: [{ type: 'text', text: 'pong' }] }));
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'c', version: '1.0.0' });
  await Promise.all([server.connect(a), client.connect(b)]);
  answer = await trace(async function ask() {
    const r = await client.callTool({ name: 'echo', arguments: {} });
    return r.content[0].text;
  })();
  await client.close();
  await server.close();
} else if (integration === 'agents') {
  const { autolog: agentsAutolog } = await import('@tracewright/runtime/openai-agents');
  // import-before: the SDK is loaded before autolog(); otherwise after it.
  const sdk = order === 'import-before' ? await import('@openai/agents') : (agentsAutolog({ exclusive: true }), await load('@openai/agents'));
  if (order === 'import-before') agentsAutolog({ exclusive: true });
  const runner = new sdk.Runner({ modelProvider: new sdk.OpenAIProvider({ apiKey: 'sk-test', baseURL }) });
  answer = await trace(async function ask() {
    const r = await runner.run(new sdk.Agent({ name: 'A', model: 'gpt-test' }), 'hello');
    return r.finalOutput;
  })();
}
await new Promise((r) => setTimeout(r, 10)); // the server side's trace ends after the response is sent
console.log(answer);
console.log(JSON.stringify(dest.traces.map((t) => t.data.spans.map((s) => `${s.spanType}:${s.name}`))));
