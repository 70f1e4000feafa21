import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Mistral } from '@mistralai/mistralai';
import { useMemoryDestination } from '../../core/__tests__/memory.js';
import { traceToJsonText } from '../../model/json.js';
import { patchedCount } from '../common/patch-registry.js';
import { TIME_TO_FIRST_TOKEN_KEY } from '../common/llm-call.js';
import { startFakeMistralServer } from '../testing/fake-mistral-server.js';
import type { FakeServer } from '../testing/http.js';
import { runCombining, runConcurrentStreams, underRequestSpan, SEARCH_TOOLS, runDisableScenario, runTracedClientScenario } from '../testing/scenarios.js';
import { K, attr, onlySpan, traceTokenUsage, until } from '../testing/traces.js';
import { autolog, tracedMistral } from './index.js';

const API_KEY = 'mistral-test-SECRET-5e6f7a8b';

const memory = useMemoryDestination();
let server: FakeServer;

beforeAll(async () => {
  server = await startFakeMistralServer();
});
afterAll(async () => {
  await autolog({ disable: true });
  await server.close();
});

const newClient = () => new Mistral({ apiKey: API_KEY, serverURL: server.url, retryConfig: { strategy: 'none' } });
const tools = SEARCH_TOOLS;

async function streamText(client: Mistral, content: string, model = 'mistral-small-latest'): Promise<string> {
  let text = '';
  for await (const e of await client.chat.stream({ model, messages: [{ role: 'user', content }] })) text += (e.data.choices[0]?.delta.content as string) ?? '';
  return text;
}

const scenario = {
  autolog,
  integration: 'mistral',
  newClient,
  call: (client: Mistral, text: string) => client.chat.complete({ model: 'mistral-small-latest', messages: [{ role: 'user', content: text }] }),
  textOf: (inputs: any) => inputs.messages[0].content,
};

describe('mistral autolog', () => {
  let early: Mistral;
  beforeAll(async () => {
    early = newClient();
    void early.chat; // resource created before autolog()
    await autolog();
  });

  test('idempotent; a client (and its chat resource) created before autolog() is traced', async () => {
    const count = patchedCount('mistral');
    expect(count).toBe(3);
    await autolog();
    expect(patchedCount('mistral')).toBe(count);
    await early.chat.complete({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'early' }] });
    expect(memory.traces.map((t) => t.data.spans.map((s) => s.name))).toEqual([['chat.complete']]);
  });

  test('chat.complete under a parent: LLM span with format, model, provider, tools, tool call output, usage', async () => {
    const client = newClient();
    const params = { model: 'mistral-large-latest', messages: [{ role: 'user' as const, content: 'find docs' }], tools };
    const res = await underRequestSpan(() => client.chat.complete(params));
    expect(res.choices[0]!.message.toolCalls![0]!.function.name).toBe('search_docs');
    const trace = memory.traces[0]!;
    const span = onlySpan(trace, 'chat.complete');
    expect(span.parentId).toBe(onlySpan(trace, 'request').spanId);
    expect(attr(span, K.MESSAGE_FORMAT)).toBe('mistral');
    expect(attr(span, K.PROVIDER)).toBe('mistral');
    expect(attr(span, K.MODEL)).toBe('mistral-large-latest');
    expect(attr(span, K.CHAT_TOOLS)).toEqual([{ type: 'function', function: tools[0]!.function }]);
    expect(span.inputs).toEqual(params);
    expect(span.tokenUsage).toEqual({ input_tokens: 2, output_tokens: 2, total_tokens: 4 });
    expect(traceTokenUsage(trace)).toEqual(span.tokenUsage);
  });

  test('chat.stream: span open until consumed, message and tool calls assembled, usage, time to first token', async () => {
    const client = newClient();
    const stream = await client.chat.stream({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'stream docs' }], tools });
    expect(memory.traces).toHaveLength(0);
    for await (const _ of stream) void _;
    await until(() => memory.traces.length === 1, 'trace export');
    const span = onlySpan(memory.traces[0]!, 'chat.stream');
    const message = (span.outputs as any).choices[0].message;
    expect(message.tool_calls[0].function).toEqual({ name: 'search_docs', arguments: JSON.stringify({ query: 'stream docs' }) });
    expect(span.tokenUsage).toEqual({ input_tokens: 2, output_tokens: 2, total_tokens: 4 });
    expect(attr(span, TIME_TO_FIRST_TOKEN_KEY)).toBeGreaterThan(0);
    const text = await streamText(client, 'plain words');
    expect(text).toBe('Echo: plain words');
    await until(() => memory.traces.length === 2, 'second trace');
    expect((onlySpan(memory.traces[1]!, 'chat.stream').outputs as any).choices[0].message.content).toBe('Echo: plain words');
  });

  test('a stream closed early (break) ends its span', async () => {
    const stream = await newClient().chat.stream({ model: 'slow-stream', messages: [{ role: 'user', content: 'a b c d e f' }] });
    let n = 0;
    for await (const _ of stream) if (++n === 3) break;
    await until(() => memory.traces.length === 1, 'trace export');
    expect((onlySpan(memory.traces[0]!, 'chat.stream').outputs as any).choices[0].message.content).toBe('Echo: a ');
  });

  test('embeddings.create: EMBEDDING span', async () => {
    const res = await newClient().embeddings.create({ model: 'mistral-embed', inputs: ['one two', 'three'] });
    expect(res.data).toHaveLength(2);
    const span = onlySpan(memory.traces[0]!, 'embeddings.create');
    expect(span.spanType).toBe('EMBEDDING');
    expect(span.inputs).toEqual({ model: 'mistral-embed', inputs: ['one two', 'three'] });
  });

  test('errors (500, 429) are recorded with the SDK class name and rethrown unchanged', async () => {
    const client = newClient();
    const errors = await Promise.all(['fail-500', 'rate-limited'].map((model) => client.chat.complete({ model, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e)));
    expect(errors.map((e) => e.statusCode)).toEqual([500, 429]);
    await until(() => memory.traces.length === 2, 'two traces');
    const byStatus = new Map(memory.traces.map((t) => [onlySpan(t, 'chat.complete').events.find((e) => e.name === 'exception')!.attributes['exception.type'], t]));
    expect([...byStatus.keys()]).toEqual([errors[0].constructor.name, errors[1].constructor.name].filter((v, i, a) => a.indexOf(v) === i));
    expect(errors[0].constructor.name).not.toBe('Error');
  });

  test('the combining test: @Trace(CHAIN) → @Trace(RETRIEVER) → chat.complete, one trace with usage', async () => {
    const client = newClient();
    const { answer, trace } = await runCombining(memory, async (context, question) => {
      const res = await client.chat.complete({ model: 'mistral-small-latest', messages: [{ role: 'system', content: context }, { role: 'user', content: question }] });
      return res.choices[0]!.message.content as string;
    });
    expect(answer).toBe('Echo: spans');
    const llm = onlySpan(trace, 'chat.complete');
    expect(llm.parentId).toBe(onlySpan(trace, 'ragQuery').spanId);
    expect(llm.tokenUsage).toEqual({ input_tokens: 6, output_tokens: 2, total_tokens: 8 });
    expect(traceTokenUsage(trace)).toEqual(llm.tokenUsage);
  });

  test('50 concurrent streamed calls → 50 traces, no crossed spans', async () => {
    const client = newClient();
    await runConcurrentStreams(memory, 50, (marker) => streamText(client, `about ${marker}`));
  });

  test('the API key never reaches the stored trace', async () => {
    const client = newClient();
    await client.chat.complete({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'k' }] });
    await client.chat.complete({ model: 'reject-key', messages: [{ role: 'user', content: 'k' }] }).catch(() => undefined);
    await until(() => memory.traces.length === 2, 'two traces');
    expect(server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    for (const trace of memory.traces) expect(traceToJsonText(trace)).not.toContain('SECRET');
  });

  test('autolog({ disable: true }) restores the SDK', () => runDisableScenario(memory, scenario, patchedCount));
});

describe('tracedMistral(client)', () => {
  test('instruments the same client object in place, idempotently; one span per call also with autolog on', () => runTracedClientScenario(memory, scenario, tracedMistral));
});
