import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Cohere, CohereClientV2 } from 'cohere-ai';
import { useMemoryDestination } from '../../core/__tests__/memory.js';
import { traceToJsonText } from '../../model/json.js';
import { patchedCount } from '../common/patch-registry.js';
import { TIME_TO_FIRST_TOKEN_KEY } from '../common/llm-call.js';
import { startFakeCohereServer } from '../testing/fake-cohere-server.js';
import type { FakeServer } from '../testing/http.js';
import { runCombining, runConcurrentStreams, underRequestSpan, SEARCH_TOOLS, runDisableScenario, runTracedClientScenario } from '../testing/scenarios.js';
import { K, attr, onlySpan, traceTokenUsage, until } from '../testing/traces.js';
import { autolog, tracedCohere } from './index.js';

const TOKEN = 'cohere-test-SECRET-1f2e3d4c';

const memory = useMemoryDestination();
let server: FakeServer;

beforeAll(async () => {
  server = await startFakeCohereServer();
});
afterAll(async () => {
  await autolog({ disable: true });
  await server.close();
});

const newClient = () => new CohereClientV2({ token: TOKEN, environment: server.url, maxRetries: 0 } as ConstructorParameters<typeof CohereClientV2>[0]);
const tools = SEARCH_TOOLS;

async function streamText(client: CohereClientV2, content: string, model = 'command-a-03-2025'): Promise<string> {
  let text = '';
  for await (const e of await client.chatStream({ model, messages: [{ role: 'user', content }] })) if (e.type === 'content-delta') text += e.delta?.message?.content?.text ?? '';
  return text;
}

const scenario = {
  autolog,
  integration: 'cohere',
  newClient,
  call: (client: CohereClientV2, text: string) => client.chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: text }] }),
  textOf: (inputs: any) => inputs.messages[0].content,
};

describe('cohere autolog', () => {
  let early: CohereClientV2;
  beforeAll(async () => {
    early = newClient();
    await autolog();
  });

  test('idempotent; a client created before autolog() is traced', async () => {
    expect(patchedCount('cohere')).toBe(4);
    await autolog();
    expect(patchedCount('cohere')).toBe(4);
    await early.chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'early' }] });
    expect(memory.traces.map((t) => t.data.spans.map((s) => s.name))).toEqual([['chat']]);
  });

  test('chat under a parent: LLM span with format, model, provider, tools, tool calls, usage', async () => {
    const client = newClient();
    const params = { model: 'command-a-03-2025', messages: [{ role: 'user' as const, content: 'find docs' }], tools };
    const res = await underRequestSpan(() => client.chat(params));
    expect(res.message.toolCalls?.[0]?.function?.name).toBe('search_docs');
    const trace = memory.traces[0]!;
    const span = onlySpan(trace, 'chat');
    expect(span.parentId).toBe(onlySpan(trace, 'request').spanId);
    expect(attr(span, K.MESSAGE_FORMAT)).toBe('cohere');
    expect(attr(span, K.PROVIDER)).toBe('cohere');
    expect(attr(span, K.MODEL)).toBe('command-a-03-2025');
    expect(attr(span, K.CHAT_TOOLS)).toEqual([{ type: 'function', function: tools[0]!.function }]);
    expect(span.inputs).toEqual(params);
    expect((span.outputs as any).message.toolCalls[0].function.name).toBe('search_docs');
    expect(span.tokenUsage).toEqual({ input_tokens: 12, output_tokens: 2, total_tokens: 14 });
    expect(traceTokenUsage(trace)).toEqual(span.tokenUsage);
  });

  test('chatStream: span open until consumed, text and tool calls assembled, usage, time to first token', async () => {
    const client = newClient();
    const stream = await client.chatStream({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'stream docs' }], tools });
    expect(memory.traces).toHaveLength(0);
    for await (const _ of stream) void _;
    await until(() => memory.traces.length === 1, 'trace export');
    const span = onlySpan(memory.traces[0]!, 'chatStream');
    const out = span.outputs as any;
    expect(out.finishReason).toBe('TOOL_CALL');
    expect(out.message.toolPlan).toBe('I will search.');
    expect(out.message.toolCalls[0].function).toEqual({ name: 'search_docs', arguments: JSON.stringify({ query: 'stream docs' }) });
    expect(span.tokenUsage).toEqual({ input_tokens: 12, output_tokens: 2, total_tokens: 14 });
    expect(attr(span, TIME_TO_FIRST_TOKEN_KEY)).toBeGreaterThan(0);
    expect(await streamText(client, 'plain words')).toBe('Echo: plain words');
    await until(() => memory.traces.length === 2, 'second trace');
    expect((onlySpan(memory.traces[1]!, 'chatStream').outputs as any).message.content).toEqual([{ type: 'text', text: 'Echo: plain words' }]);
  });

  test('a stream closed early (break) ends its span', async () => {
    const stream = await newClient().chatStream({ model: 'slow-stream', messages: [{ role: 'user', content: 'a b c d e f' }] });
    for await (const e of stream) if (e.type === 'content-delta') break;
    await until(() => memory.traces.length === 1, 'trace export');
    expect((onlySpan(memory.traces[0]!, 'chatStream').outputs as any).message.content).toEqual([{ type: 'text', text: 'Echo: ' }]);
  });

  test('rerank: RERANKER span with the documents and their relevance scores, best first', async () => {
    const documents = ['Tracing records spans', 'Bananas are yellow', 'Spans nest under traces'];
    const res = await newClient().rerank({ model: 'rerank-v3.5', query: 'spans traces', documents, topN: 2 });
    expect(res.results.map((r) => r.index)).toEqual([2, 0]);
    const span = onlySpan(memory.traces[0]!, 'rerank');
    expect(span.spanType).toBe('RERANKER');
    expect(span.inputs).toEqual({ model: 'rerank-v3.5', query: 'spans traces', documents, topN: 2 });
    expect(span.outputs).toEqual([
      { page_content: 'Spans nest under traces', metadata: { index: 2, relevance_score: 1 } },
      { page_content: 'Tracing records spans', metadata: { index: 0, relevance_score: 0.5 } },
    ]);
  });

  test('embed: EMBEDDING span with billed input tokens', async () => {
    const res = await newClient().embed({ model: 'embed-v4.0', texts: ['one two', 'three'], inputType: 'search_document', embeddingTypes: ['float'] });
    expect(res.embeddings.float).toHaveLength(2);
    const span = onlySpan(memory.traces[0]!, 'embed');
    expect(span.spanType).toBe('EMBEDDING');
    expect(span.tokenUsage).toEqual({ input_tokens: 3, output_tokens: 0, total_tokens: 3 });
  });

  test('errors (500, 429) are recorded with the SDK class name and rethrown unchanged', async () => {
    const client = newClient();
    const errors = await Promise.all(['fail-500', 'rate-limited'].map((model) => client.chat({ model, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e)));
    expect(errors[0]).toBeInstanceOf(Cohere.InternalServerError);
    expect(errors[1]).toBeInstanceOf(Cohere.TooManyRequestsError);
    await until(() => memory.traces.length === 2, 'two traces');
    const types = memory.traces.map((t) => onlySpan(t, 'chat').events.find((e) => e.name === 'exception')!.attributes['exception.type']).sort();
    expect(types).toEqual(['InternalServerError', 'TooManyRequestsError']);
  });

  test('the combining test: @Trace(CHAIN) → @Trace(RETRIEVER) → chat, one trace with usage', async () => {
    const client = newClient();
    const { answer, trace } = await runCombining(memory, async (context, question) => {
      const res = await client.chat({ model: 'command-a-03-2025', messages: [{ role: 'system', content: context }, { role: 'user', content: question }] });
      return (res.message.content![0] as { text: string }).text;
    });
    expect(answer).toBe('Echo: spans');
    const llm = onlySpan(trace, 'chat');
    expect(llm.parentId).toBe(onlySpan(trace, 'ragQuery').spanId);
    expect(llm.tokenUsage).toEqual({ input_tokens: 16, output_tokens: 2, total_tokens: 18 });
    expect(traceTokenUsage(trace)).toEqual(llm.tokenUsage);
  });

  test('50 concurrent streamed chats → 50 traces, no crossed spans', async () => {
    const client = newClient();
    await runConcurrentStreams(memory, 50, (marker) => streamText(client, `about ${marker}`));
  });

  test('the API key never reaches the stored trace, also when an error quotes it', async () => {
    const client = newClient();
    await client.chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'k' }] });
    const rejected = await client.chat({ model: 'reject-key', messages: [{ role: 'user', content: 'k' }] }).catch((e) => e);
    expect(String(rejected.message) + JSON.stringify(rejected.body)).toContain(TOKEN);
    await until(() => memory.traces.length === 2, 'two traces');
    expect(server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    for (const trace of memory.traces) expect(traceToJsonText(trace)).not.toContain('SECRET');
  });

  test('autolog({ disable: true }) restores the SDK', () => runDisableScenario(memory, scenario, patchedCount));
});

describe('tracedCohere(client)', () => {
  test('instruments the same client object in place, idempotently; one span per call also with autolog on', () => runTracedClientScenario(memory, scenario, tracedCohere));
});
