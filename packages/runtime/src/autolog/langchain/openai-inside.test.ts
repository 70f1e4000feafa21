/**
 * LangChain and OpenAI autolog together: the OpenAI SDK call a LangChain chat model makes must
 * nest inside the LangChain span, and its tokens must count once on the trace.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { useMemoryDestination } from '../../core/__tests__/memory.js';
import { withSpan } from '../../api/spans.js';
import { SpanType } from '../../model/constants.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../testing/fake-openai-server.js';
import { ServerChatModel } from '../testing/openai-chat-model.js';
import { onlySpan, traceTokenUsage, until } from '../testing/traces.js';
import { autolog as langchainAutolog } from './index.js';
import { autolog as openaiAutolog } from '../openai/index.js';

const memory = useMemoryDestination();
let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer();
  await langchainAutolog();
  await openaiAutolog();
});
afterAll(async () => {
  await langchainAutolog({ disable: true });
  await openaiAutolog({ disable: true });
  await server.close();
});

const model = () => new ServerChatModel({ baseURL: server.baseURL, apiKey: 'sk-x-SECRET', model: 'gpt-lc' });

test('chat model invoke: the OpenAI span nests in the CHAT_MODEL span; tokens counted once', async () => {
  const reply = await withSpan(() => model().invoke('what is tracing'), { name: 'request', spanType: SpanType.CHAIN });
  expect(reply.content).toBe('Echo: what is tracing');
  await until(() => memory.traces.length === 1, 'trace export');
  const [trace] = memory.traces;
  const chat = onlySpan(trace!, 'ServerChatModel');
  const llm = onlySpan(trace!, 'Completions');
  expect(llm.parentId).toBe(chat.spanId);
  expect(chat.parentId).toBe(onlySpan(trace!, 'request').spanId);
  // both carry usage; the trace counts the outer one only
  expect(chat.tokenUsage).toEqual(llm.tokenUsage);
  expect(traceTokenUsage(trace!)).toEqual({ input_tokens: 3, output_tokens: 4, total_tokens: 7 });
});

test('concurrent invokes and a span opened after the model run: each OpenAI span under its own model span, the caller context restored', async () => {
  await withSpan(
    async () => {
      await Promise.all([model().invoke('one'), model().invoke('two')]);
      await withSpan(async () => undefined, { name: 'after' });
    },
    { name: 'request' },
  );
  await until(() => memory.traces.length === 1, 'trace export');
  const trace = memory.traces[0]!;
  const byId = new Map(trace.data.spans.map((s) => [s.spanId, s]));
  const llms = trace.data.spans.filter((s) => s.name === 'Completions');
  expect(llms).toHaveLength(2);
  for (const llm of llms) {
    const parent = byId.get(llm.parentId!)!;
    expect(parent.name).toBe('ServerChatModel');
    expect((parent.outputs as any).generations[0][0].text).toBe((llm.outputs as any).choices[0].message.content);
  }
  expect(byId.get(trace.data.spans.find((s) => s.name === 'after')!.parentId!)!.name).toBe('request');
  expect(traceTokenUsage(trace)).toEqual({ input_tokens: 2, output_tokens: 4, total_tokens: 6 });
});
