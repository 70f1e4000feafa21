/**
 * Runs under Node 22 with `@google/genai` 3 (installed and bundled next to this file by
 * google-genai-v3.test.ts) against the fake Google server on 127.0.0.1: generateContent,
 * generateContentStream, embedContent, chats, function calling, an API error, concurrent
 * streams, then tracedGoogleGenAI(client) with autolog off. Prints one JSON line.
 */
import { autolog, tracedGoogleGenAI } from '../index.js';
import { setDestination } from '../../../api/control.js';
import { withSpan } from '../../../api/spans.js';
import { getTracingDiagnostics } from '../../../core/diagnostics.js';
import { InMemoryDestination } from '../../../export/in-memory.js';
import type { Trace } from '../../../model/trace.js';
import { startFakeGoogleServer } from '../../testing/fake-google-server.js';
import { scenarioRunner, traceSummary } from '../../testing/child-scenarios.js';

const SECRET = 'AIza-genai3-SECRET-7e2a';
const autologResult = await autolog();
const genai = await import('@google/genai');

const memory = new InMemoryDestination();
setDestination(memory);
const server = await startFakeGoogleServer();
const newClient = () => new genai.GoogleGenAI({ apiKey: SECRET, httpOptions: { baseUrl: server.url } });
const searchTool = { functionDeclarations: [{ name: 'search_docs', description: 'Search the docs', parametersJsonSchema: { type: 'object', properties: { query: { type: 'string' } } } }] };

const view = (t: Trace) => traceSummary(t, SECRET);

const scenario = scenarioRunner(memory, view, (error) => ({ error: (error as Error).constructor.name, status: (error as { status?: number }).status }));

const streamText = async (stream: AsyncIterable<{ text?: string }>) => {
  let text = '';
  for await (const chunk of stream) text += chunk.text ?? '';
  return text;
};

const results = {
  generate: await scenario(() =>
    withSpan(async () => (await newClient().models.generateContent({ model: 'gemini-thinking-cached', contents: 'what is tracing' })).text, { name: 'request' }),
  ),
  functionCall: await scenario(async () => (await newClient().models.generateContent({ model: 'gemini-test', contents: 'find docs', config: { tools: [searchTool] } })).functionCalls),
  stream: await scenario(async () => streamText(await newClient().models.generateContentStream({ model: 'gemini-test', contents: 'stream this please' }))),
  embed: await scenario(async () => (await newClient().models.embedContent({ model: 'text-embedding-004', contents: ['one two', 'three'] })).embeddings?.length),
  chat: await scenario(async () => {
    const chat = newClient().chats.create({ model: 'gemini-test' });
    await chat.sendMessage({ message: 'first turn' });
    memory.clear();
    return (await chat.sendMessage({ message: 'second turn' })).text;
  }),
  chatStream: await scenario(async () => streamText(await newClient().chats.create({ model: 'gemini-test' }).sendMessageStream({ message: 'streamed turn' }))),
  error: await scenario(() => newClient().models.generateContent({ model: 'fail-500', contents: 'x' })),
  concurrent: await scenario(async () => {
    const client = newClient();
    const texts = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        withSpan(async () => streamText(await client.models.generateContentStream({ model: 'gemini-test', contents: `about ${i}` })), { name: `request-${i}` }),
      ),
    );
    return texts.filter((t, i) => t === `Echo: about ${i}`).length;
  }),
  wrapped: await scenario(async () => {
    await autolog({ disable: true });
    const client = newClient();
    const same = tracedGoogleGenAI(client) === client;
    await client.models.generateContent({ model: 'gemini-test', contents: 'wrapped' });
    await newClient().models.generateContent({ model: 'gemini-test', contents: 'not wrapped' });
    return same;
  }),
};

await server.close();
console.log(JSON.stringify({ autologResult, results, internalErrors: getTracingDiagnostics().totalErrors }));
