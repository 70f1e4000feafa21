import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import defaultOllama, { Ollama } from 'ollama';
import { useMemoryDestination } from '../../core/__tests__/memory.js';
import { traceToJsonText } from '../../model/json.js';
import { patchedCount } from '../common/patch-registry.js';
import { TIME_TO_FIRST_TOKEN_KEY } from '../common/llm-call.js';
import { startFakeOllamaServer } from '../testing/fake-ollama-server.js';
import type { FakeServer } from '../testing/http.js';
import { runCombining, runConcurrentStreams, underRequestSpan, SEARCH_TOOLS, runDisableScenario, runTracedClientScenario } from '../testing/scenarios.js';
import { K, attr, onlySpan, traceTokenUsage, until } from '../testing/traces.js';
import { autolog, tracedOllama } from './index.js';

const TOKEN = 'ollama-cloud-SECRET-0a1b2c3d';

const memory = useMemoryDestination();
let server: FakeServer;

beforeAll(async () => {
  server = await startFakeOllamaServer();
});
afterAll(async () => {
  await autolog({ disable: true });
  await server.close();
});

const newClient = () => new Ollama({ host: server.url, headers: { Authorization: `Bearer ${TOKEN}` } });
const tools = SEARCH_TOOLS;

async function streamChat(client: Ollama, content: string, model = 'llama3.2'): Promise<string> {
  let text = '';
  for await (const part of await client.chat({ model, messages: [{ role: 'user', content }], stream: true })) text += part.message.content;
  return text;
}

const scenario = {
  autolog,
  integration: 'ollama',
  newClient,
  call: (client: Ollama, text: string) => client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: text }] }),
  textOf: (inputs: any) => inputs.messages[0].content,
};

describe('ollama autolog', () => {
  let early: Ollama;
  beforeAll(async () => {
    early = newClient();
    await autolog();
  });

  test('idempotent; clients created before autolog() and the default instance are traced', async () => {
    const count = patchedCount('ollama');
    expect(count).toBeGreaterThanOrEqual(4);
    await autolog();
    expect(patchedCount('ollama')).toBe(count);
    await early.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'early' }] });
    expect(typeof defaultOllama.chat).toBe('function');
    expect(memory.traces.map((t) => t.data.spans.map((s) => s.name))).toEqual([['chat']]);
  });

  test('chat under a parent: LLM span with format, model, provider, tools, tool calls, usage', async () => {
    const client = newClient();
    const params = { model: 'llama3.2', messages: [{ role: 'user', content: 'find docs' }], tools };
    const res = await underRequestSpan(() => client.chat(params));
    expect(res.message.tool_calls?.[0]?.function.name).toBe('search_docs');
    const trace = memory.traces[0]!;
    const span = onlySpan(trace, 'chat');
    expect(span.parentId).toBe(onlySpan(trace, 'request').spanId);
    expect(attr(span, K.MESSAGE_FORMAT)).toBe('ollama');
    expect(attr(span, K.PROVIDER)).toBe('ollama');
    expect(attr(span, K.MODEL)).toBe('llama3.2');
    expect(attr(span, K.CHAT_TOOLS)).toEqual([{ type: 'function', function: tools[0]!.function }]);
    // What the program passed (the SDK adds `stream: false` to the object afterwards).
    expect(span.inputs).toEqual({ model: 'llama3.2', messages: [{ role: 'user', content: 'find docs' }], tools });
    expect(span.tokenUsage).toEqual({ input_tokens: 2, output_tokens: 1, total_tokens: 3 });
    expect(traceTokenUsage(trace)).toEqual(span.tokenUsage);
  });

  test('chat stream (NDJSON): the same AbortableAsyncIterator object, span open until consumed, assembled, usage, time to first token', async () => {
    const client = newClient();
    const stream = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'stream me please' }], stream: true });
    expect(typeof stream.abort).toBe('function');
    expect(memory.traces).toHaveLength(0);
    let text = '';
    for await (const part of stream) text += part.message.content;
    expect(text).toBe('Echo: stream me please');
    await until(() => memory.traces.length === 1, 'trace export');
    const span = onlySpan(memory.traces[0]!, 'chat');
    expect((span.outputs as any).message).toEqual({ role: 'assistant', content: 'Echo: stream me please' });
    expect((span.outputs as any).done_reason).toBe('stop');
    expect(span.tokenUsage).toEqual({ input_tokens: 3, output_tokens: 4, total_tokens: 7 });
    expect(attr(span, TIME_TO_FIRST_TOKEN_KEY)).toBeGreaterThan(0);
  });

  test('generate stream, and a stream aborted with abort() ends its span', async () => {
    const client = newClient();
    let text = '';
    for await (const part of await client.generate({ model: 'llama3.2', prompt: 'gen words', stream: true })) text += part.response;
    expect(text).toBe('Echo: gen words');
    const slow = await client.chat({ model: 'slow-stream', messages: [{ role: 'user', content: 'a b c d e f' }], stream: true });
    const err = await (async () => {
      let n = 0;
      for await (const _ of slow) if (++n === 2) slow.abort();
    })().catch((e) => e);
    expect(err?.name).toBe('AbortError');
    await until(() => memory.traces.length === 2, 'two traces');
    expect((onlySpan(memory.traces[0]!, 'generate').outputs as any).response).toBe('Echo: gen words');
    const aborted = onlySpan(memory.traces[1]!, 'chat');
    expect(aborted.status.statusCode).toBe('STATUS_CODE_ERROR');
    expect((aborted.outputs as any).message.content).toBe('Echo: a ');
  });

  test('embed: EMBEDDING span with usage', async () => {
    const res = await newClient().embed({ model: 'nomic-embed-text', input: ['one two', 'three'] });
    expect(res.embeddings).toHaveLength(2);
    const span = onlySpan(memory.traces[0]!, 'embed');
    expect(span.spanType).toBe('EMBEDDING');
    expect(span.tokenUsage).toEqual({ input_tokens: 3, output_tokens: 0, total_tokens: 3 });
  });

  test('errors (500, 429) are recorded with the SDK class name and rethrown unchanged', async () => {
    const client = newClient();
    const errors = await Promise.all(['fail-500', 'rate-limited'].map((model) => client.chat({ model, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e)));
    expect(errors.map((e) => e.status_code)).toEqual([500, 429]);
    await until(() => memory.traces.length === 2, 'two traces');
    for (const t of memory.traces) {
      const span = onlySpan(t, 'chat');
      expect(span.status.statusCode).toBe('STATUS_CODE_ERROR');
      expect(span.events.find((e) => e.name === 'exception')!.attributes['exception.type']).toBe('ResponseError');
    }
  });

  test('the combining test: @Trace(CHAIN) → @Trace(RETRIEVER) → chat, one trace with usage', async () => {
    const client = newClient();
    const { answer, trace } = await runCombining(memory, async (context, question) => {
      const res = await client.chat({ model: 'llama3.2', messages: [{ role: 'system', content: context }, { role: 'user', content: question }] });
      return res.message.content;
    });
    expect(answer).toBe('Echo: spans');
    const llm = onlySpan(trace, 'chat');
    expect(llm.parentId).toBe(onlySpan(trace, 'ragQuery').spanId);
    expect(llm.tokenUsage).toEqual({ input_tokens: 6, output_tokens: 2, total_tokens: 8 });
    expect(traceTokenUsage(trace)).toEqual(llm.tokenUsage);
  });

  test('50 concurrent streamed chats → 50 traces, no crossed spans', async () => {
    const client = newClient();
    await runConcurrentStreams(memory, 50, (marker) => streamChat(client, `about ${marker}`));
  });

  test('the bearer token never reaches the stored trace', async () => {
    await newClient().chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'k' }] });
    await until(() => memory.traces.length === 1, 'trace');
    expect(server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(traceToJsonText(memory.traces[0]!)).not.toContain('SECRET');
  });

  test('autolog({ disable: true }) restores the SDK', () => runDisableScenario(memory, scenario, patchedCount));
});

describe('tracedOllama(client)', () => {
  test('instruments the same client object in place, idempotently; one span per call also with autolog on', () => runTracedClientScenario(memory, scenario, tracedOllama));
});
