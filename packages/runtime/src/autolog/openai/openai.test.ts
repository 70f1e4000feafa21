import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import * as OpenAIEsm from 'openai';
import { useMemoryDestination } from '../../core/__tests__/memory.js';
import { withSpan } from '../../api/spans.js';
import { disableTracing, enableTracing } from '../../api/control.js';
import { traceToJsonText } from '../../model/json.js';
import { SpanType } from '../../model/constants.js';
import { ORIGINAL, patchedCount } from '../common/patch-registry.js';
import { FIRST_TOKEN_EVENT, STREAM_ABORTED_EVENT, TIME_TO_FIRST_TOKEN_KEY } from '../common/llm-call.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../testing/fake-openai-server.js';
import { K, attr, onlySpan, traceTokenUsage, until } from '../testing/traces.js';
import { autolog, tracedOpenAI } from './index.js';

const require = createRequire(import.meta.url);
const OpenAICjs = require('openai') as typeof OpenAIEsm;
const API_KEY = 'sk-test-SECRET-4f9a2c77d1';

const memory = useMemoryDestination();
let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer();
});
afterAll(async () => {
  await autolog({ disable: true });
  await server.close();
});

const newClient = (Sdk: typeof OpenAIEsm = OpenAIEsm, opts: Record<string, unknown> = {}) =>
  new Sdk.OpenAI({ apiKey: API_KEY, baseURL: server.baseURL, maxRetries: 0, ...opts });

const parent = <T>(fn: () => Promise<T>) => withSpan(fn, { name: 'request', spanType: SpanType.CHAIN });

describe('autolog() patching', () => {
  afterEach(async () => {
    await autolog({ disable: true });
  });

  test('patches the ESM and the CJS copy of the SDK (distinct classes), idempotently', async () => {
    expect(OpenAICjs.OpenAI.Chat.Completions).not.toBe(OpenAIEsm.OpenAI.Chat.Completions);
    const first = await autolog();
    expect(first.copies).toBe(2);
    expect(first.patchedMethods).toBe(8); // 4 resources x 2 copies
    const again = await autolog();
    expect(again.patchedMethods).toBe(8);
    for (const Sdk of [OpenAIEsm, OpenAICjs]) {
      const create = Sdk.OpenAI.Chat.Completions.prototype.create as unknown as Record<symbol, unknown>;
      expect(create[ORIGINAL]).toBeTypeOf('function');
      // a client created before or after autolog: one span per call, in either copy
      const client = newClient(Sdk);
      memory.clear();
      await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi there' }] });
      expect(memory.traces).toHaveLength(1);
      expect(memory.traces[0]!.data.spans.map((s) => s.name)).toEqual(['Completions']);
    }
  });

  test('a client created before autolog() is traced too', async () => {
    const early = newClient();
    await autolog();
    await early.embeddings.create({ model: 'emb', input: 'one two three' });
    expect(memory.traces).toHaveLength(1);
  });

  test('autolog({ disable: true }) restores the SDK methods; calls are untraced again', async () => {
    const before = OpenAIEsm.OpenAI.Chat.Completions.prototype.create;
    const beforeCjs = OpenAICjs.OpenAI.Responses.prototype.create;
    await autolog();
    expect(OpenAIEsm.OpenAI.Chat.Completions.prototype.create).not.toBe(before);
    await autolog({ disable: true });
    expect(OpenAIEsm.OpenAI.Chat.Completions.prototype.create).toBe(before);
    expect(OpenAICjs.OpenAI.Responses.prototype.create).toBe(beforeCjs);
    expect(patchedCount('openai')).toBe(0);
    await newClient().chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'x' }] });
    expect(memory.traces).toHaveLength(0);
  });
});

describe('autologged calls', () => {
  beforeAll(async () => {
    await autolog();
  });

  test('chat completion nests under the active span and records MLflow LLM attributes', async () => {
    const client = newClient();
    const params = { model: 'gpt-test', temperature: 0.2, messages: [{ role: 'system' as const, content: 'be brief' }, { role: 'user' as const, content: 'what is mlflow' }] };
    const out = await parent(() => client.chat.completions.create(params));
    expect(out.choices[0]!.message.content).toBe('Echo: what is mlflow');
    const [trace] = memory.traces;
    const root = onlySpan(trace!, 'request');
    const llm = onlySpan(trace!, 'Completions');
    expect(llm.parentId).toBe(root.spanId);
    expect(llm.spanType).toBe('LLM');
    expect(llm.status.statusCode).toBe('STATUS_CODE_OK');
    expect(attr(llm, K.MODEL)).toBe('gpt-test');
    expect(attr(llm, K.PROVIDER)).toBe('openai');
    expect(attr(llm, K.MESSAGE_FORMAT)).toBe('openai');
    expect(llm.inputs).toEqual(params);
    expect((llm.outputs as any).choices[0].message).toEqual({ role: 'assistant', content: 'Echo: what is mlflow', refusal: null });
    expect(llm.tokenUsage).toEqual({ input_tokens: 5, output_tokens: 4, total_tokens: 9 });
    expect(traceTokenUsage(trace!)).toEqual({ input_tokens: 5, output_tokens: 4, total_tokens: 9 });
  });

  test('withResponse() and the SDK parse() helper keep working through the patch', async () => {
    const client = newClient();
    const { data, response } = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'a b' }] }).withResponse();
    expect(response.status).toBe(200);
    expect(data.choices[0]!.message.content).toBe('Echo: a b');
    const parsed = await client.chat.completions.parse({ model: 'gpt-test', messages: [{ role: 'user', content: 'c d' }] });
    expect(parsed.choices[0]!.message.content).toBe('Echo: c d');
    expect(memory.traces).toHaveLength(2);
    expect(memory.traces.map((t) => t.data.spans.length)).toEqual([1, 1]);
  });

  test('streamed chat completion: span open until consumed, output assembled, usage and time to first token', async () => {
    const client = newClient();
    let stream!: AsyncIterable<OpenAIEsm.OpenAI.ChatCompletionChunk>;
    const done = parent(async () => {
      stream = await client.chat.completions.create({ model: 'gpt-test', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'stream me please' }] });
      return 'parent done';
    });
    await done;
    // The parent ended, but the LLM span is still open: the trace waits for it.
    expect(memory.traces).toHaveLength(0);
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Echo: stream me please');
    await until(() => memory.traces.length === 1, 'trace export');
    const llm = onlySpan(memory.traces[0]!, 'Completions');
    const outputs = llm.outputs as any;
    expect(outputs.object).toBe('chat.completion');
    expect(outputs.choices[0].message).toEqual({ role: 'assistant', content: 'Echo: stream me please' });
    expect(outputs.choices[0].finish_reason).toBe('stop');
    expect(llm.tokenUsage).toEqual({ input_tokens: 3, output_tokens: 4, total_tokens: 7 });
    expect(traceTokenUsage(memory.traces[0]!)).toEqual({ input_tokens: 3, output_tokens: 4, total_tokens: 7 });
    const ttft = attr(llm, TIME_TO_FIRST_TOKEN_KEY) as number;
    expect(ttft).toBeGreaterThan(0);
    const first = llm.events.find((e) => e.name === FIRST_TOKEN_EVENT)!;
    expect(first.timestamp).toBeGreaterThan(llm.startTimeUnixNano);
    expect(first.timestamp).toBeLessThanOrEqual(llm.endTimeUnixNano!);
  });

  test('tool calls: tool definitions recorded, tool_calls in the output (JSON and streamed)', async () => {
    const client = newClient();
    const tools = [{ type: 'function' as const, function: { name: 'search_docs', description: 'Search the docs', parameters: { type: 'object', properties: { query: { type: 'string' } } } } }];
    const messages = [{ role: 'user' as const, content: 'find tracing docs' }];
    const json = await client.chat.completions.create({ model: 'gpt-test', messages, tools });
    const stream = await client.chat.completions.create({ model: 'gpt-test', messages, tools, stream: true });
    for await (const _ of stream) void _;
    await until(() => memory.traces.length === 2, 'two traces');
    for (const trace of memory.traces) {
      const llm = onlySpan(trace, 'Completions');
      expect(attr(llm, K.CHAT_TOOLS)).toEqual(tools);
      const message = (llm.outputs as any).choices[0].message;
      expect(message.tool_calls).toHaveLength(1);
      expect(message.tool_calls[0].function).toEqual({ name: 'search_docs', arguments: JSON.stringify({ query: 'find tracing docs' }) });
      expect(message.tool_calls[0].id).toMatch(/^call-/);
      expect((llm.outputs as any).choices[0].finish_reason).toBe('tool_calls');
    }
    expect(json.choices[0]!.message.tool_calls![0]!.type).toBe('function');
  });

  test('Responses API, plain and streamed', async () => {
    const client = newClient();
    const r = await client.responses.create({ model: 'gpt-resp', input: 'tell me something', instructions: 'short' });
    expect(r.output_text).toBe('Echo: tell me something');
    const stream = await client.responses.create({ model: 'gpt-resp', input: [{ role: 'user', content: 'stream this' }], stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe('response.completed');
    await until(() => memory.traces.length === 2, 'two traces');
    const [plain, streamed] = memory.traces.map((t) => onlySpan(t, 'Responses'));
    expect(plain!.spanType).toBe('LLM');
    expect(plain!.tokenUsage).toEqual({ input_tokens: 4, output_tokens: 4, total_tokens: 8 });
    expect((streamed!.outputs as any).output[0].content[0].text).toBe('Echo: stream this');
    expect(streamed!.tokenUsage).toEqual({ input_tokens: 2, output_tokens: 3, total_tokens: 5 });
    expect(attr(streamed!, TIME_TO_FIRST_TOKEN_KEY)).toBeGreaterThan(0);
  });

  test('Responses API function tools are recorded in the chat-tools form', async () => {
    const client = newClient();
    await client.responses.create({ model: 'gpt-resp', input: 'weather?', tools: [{ type: 'function', name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} }, strict: false }] });
    const span = onlySpan(memory.traces[0]!, 'Responses');
    expect(attr(span, K.CHAT_TOOLS)).toEqual([{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} } } }]);
    expect((span.outputs as any).output[0].type).toBe('function_call');
  });

  test('embeddings: EMBEDDING span with usage', async () => {
    const client = newClient();
    const res = await client.embeddings.create({ model: 'emb-small', input: ['alpha beta', 'gamma'] });
    expect(res.data).toHaveLength(2);
    expect(res.data[0]!.embedding).toHaveLength(8);
    const span = onlySpan(memory.traces[0]!, 'Embeddings');
    expect(span.spanType).toBe('EMBEDDING');
    expect(span.tokenUsage).toEqual({ input_tokens: 3, output_tokens: 0, total_tokens: 3 });
  });

  test('SDK errors: 500 and 429 are recorded on the span (status ERROR + exception event) and rethrown unchanged', async () => {
    const client = newClient();
    const err500 = await parent(() => client.chat.completions.create({ model: 'fail-500', messages: [{ role: 'user', content: 'x' }] })).catch((e) => e);
    expect(err500).toBeInstanceOf(OpenAIEsm.InternalServerError);
    const err429 = await client.chat.completions.create({ model: 'rate-limited', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err429).toBeInstanceOf(OpenAIEsm.RateLimitError);
    await until(() => memory.traces.length === 2, 'two traces');
    const [t500, t429] = memory.traces;
    const s500 = onlySpan(t500!, 'Completions');
    expect(s500.status.statusCode).toBe('STATUS_CODE_ERROR');
    expect(s500.status.description).toMatch(/^500/);
    expect(s500.events.find((e) => e.name === 'exception')!.attributes['exception.type']).toBe('InternalServerError');
    expect(t500!.info.state).toBe('ERROR');
    const s429 = onlySpan(t429!, 'Completions');
    expect(s429.status.statusCode).toBe('STATUS_CODE_ERROR');
    expect(s429.status.description).toMatch(/^429/);
  });

  test('a 429 the SDK retries successfully is one OK span', async () => {
    const client = newClient(OpenAIEsm, { maxRetries: 2 });
    const before = server.requests.length;
    const out = await client.chat.completions.create({ model: 'rate-limit-once', messages: [{ role: 'user', content: 'retry me' }] });
    expect(out.choices[0]!.message.content).toBe('Echo: retry me');
    expect(server.requests.length - before).toBe(2);
    expect(memory.traces).toHaveLength(1);
    expect(onlySpan(memory.traces[0]!, 'Completions').status.statusCode).toBe('STATUS_CODE_OK');
  });

  test('the API key never reaches the exported trace', async () => {
    const client = newClient();
    // per-request headers, and a key a caller misplaced into the request body
    await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'k' }], api_key: API_KEY } as any, { headers: { 'x-api-key': API_KEY } });
    const stream = await client.chat.completions.create({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'k' }] });
    for await (const _ of stream) void _;
    await client.chat.completions.create({ model: 'fail-500', messages: [{ role: 'user', content: 'k' }] }).catch(() => undefined);
    const rejected = await client.chat.completions.create({ model: 'reject-key', messages: [{ role: 'user', content: 'k' }] }).catch((e) => e);
    expect(rejected.message).toContain(API_KEY); // the SDK error itself is untouched
    await until(() => memory.traces.length === 4, 'four traces');
    expect(onlySpan(memory.traces[3]!, 'Completions').status.description).toContain('[REDACTED]');
    expect(server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    for (const trace of memory.traces) {
      const json = traceToJsonText(trace);
      expect(json).not.toContain(API_KEY);
      expect(json).not.toContain('SECRET');
    }
  });

  test('aborting mid-stream ends the span with what arrived so far', async () => {
    const client = newClient();
    const stream = await client.chat.completions.create({ model: 'slow-stream', stream: true, messages: [{ role: 'user', content: 'one two three four five six' }] });
    let received = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta?.content) received++;
      if (received === 2) stream.controller.abort();
    }
    await until(() => memory.traces.length === 1, 'trace export');
    const span = onlySpan(memory.traces[0]!, 'Completions');
    expect(span.endTimeUnixNano).not.toBeNull();
    expect(span.events.some((e) => e.name === STREAM_ABORTED_EVENT)).toBe(true);
    expect((span.outputs as any).choices[0].message.content).toBe('Echo: one ');
  });

  test('aborting a stream before reading it ends the span', async () => {
    const client = newClient();
    const stream = await client.chat.completions.create({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'never read' }] });
    stream.controller.abort();
    await until(() => memory.traces.length === 1, 'trace export');
    const span = onlySpan(memory.traces[0]!, 'Completions');
    expect(span.status.statusCode).toBe('STATUS_CODE_OK');
    expect(span.events.some((e) => e.name === STREAM_ABORTED_EVENT)).toBe(true);
  });

  test('an error in the middle of a stream is recorded on the span and reaches the consumer', async () => {
    const client = newClient();
    const stream = await client.chat.completions.create({ model: 'stream-error', stream: true, messages: [{ role: 'user', content: 'x y' }] });
    const error = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e) => e);
    expect(error).toBeInstanceOf(OpenAIEsm.APIError);
    await until(() => memory.traces.length === 1, 'trace export');
    const span = onlySpan(memory.traces[0]!, 'Completions');
    expect(span.status.statusCode).toBe('STATUS_CODE_ERROR');
    expect(span.events.find((e) => e.name === 'exception')!.attributes['exception.message']).toMatch(/overloaded mid-stream/);
    expect((span.outputs as any).choices[0].message.content).toBe('Echo: ');
  });

  test('breaking out of the loop early ends the span', async () => {
    const client = newClient();
    const stream = await client.chat.completions.create({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'a b c d' }] });
    for await (const chunk of stream) if (chunk.choices[0]?.delta?.content) break;
    await until(() => memory.traces.length === 1, 'trace export');
    expect((onlySpan(memory.traces[0]!, 'Completions').outputs as any).choices[0].message.content).toBe('Echo: ');
  });

  test('the SDK stream object keeps its API: tee() and toReadableStream() are traced', async () => {
    const client = newClient();
    const s1 = await client.chat.completions.create({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'tee test' }] });
    expect(s1.constructor.name).toBe('Stream');
    expect(s1.controller).toBeInstanceOf(AbortController);
    const [left, right] = s1.tee();
    const collect = async (s: AsyncIterable<any>) => {
      let t = '';
      for await (const c of s) t += c.choices[0]?.delta?.content ?? '';
      return t;
    };
    expect(await Promise.all([collect(left), collect(right)])).toEqual(['Echo: tee test', 'Echo: tee test']);
    const s2 = await client.chat.completions.create({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'readable' }] });
    const reader = s2.toReadableStream().getReader();
    let lines = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) lines += new TextDecoder().decode(r.value);
    expect(lines.trim().split('\n').length).toBeGreaterThan(2);
    await until(() => memory.traces.length === 2, 'two traces');
    expect(memory.traces.map((t) => (onlySpan(t, 'Completions').outputs as any).choices[0].message.content)).toEqual(['Echo: tee test', 'Echo: readable']);
  });

  test('the SDK chat.completions.stream() helper is one traced call', async () => {
    const client = newClient();
    const runner = client.chat.completions.stream({ model: 'gpt-test', messages: [{ role: 'user', content: 'helper stream' }] });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe('Echo: helper stream');
    await until(() => memory.traces.length === 1, 'trace export');
    expect((onlySpan(memory.traces[0]!, 'Completions').outputs as any).choices[0].message.content).toBe('Echo: helper stream');
  });

  test('with tracing disabled the patched SDK works unchanged and records nothing', async () => {
    const client = newClient();
    disableTracing();
    try {
      const out = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'quiet' }] });
      expect(out.choices[0]!.message.content).toBe('Echo: quiet');
      const stream = await client.chat.completions.create({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'quiet' }] });
      for await (const _ of stream) void _;
    } finally {
      enableTracing();
    }
    expect(memory.traces).toHaveLength(0);
  });

  test('200 concurrent traced requests each streaming: 200 traces, no crossed spans', async () => {
    const client = newClient(OpenAIEsm, { maxRetries: 2 });
    const N = 200;
    await Promise.all(
      Array.from({ length: N }, (_, i) =>
        withSpan(
          async () => {
            const stream = await client.chat.completions.create({ model: 'gpt-test', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: `request ${i}` }] });
            let text = '';
            for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
            return text;
          },
          { name: `request-${i}`, inputs: { i } },
        ),
      ),
    );
    await until(() => memory.traces.length === N, `${N} traces`);
    const seen = new Set<number>();
    for (const trace of memory.traces) {
      expect(trace.data.spans).toHaveLength(2);
      const root = trace.data.spans.find((s) => !s.parentId)!;
      const llm = onlySpan(trace, 'Completions');
      const i = Number(root.name.slice('request-'.length));
      seen.add(i);
      expect(llm.parentId).toBe(root.spanId);
      expect(llm.traceId).toBe(root.traceId);
      expect((llm.inputs as any).messages[0].content).toBe(`request ${i}`);
      expect((llm.outputs as any).choices[0].message.content).toBe(`Echo: request ${i}`);
      expect(root.outputs).toBe(`Echo: request ${i}`);
      expect(traceTokenUsage(trace)).toEqual({ input_tokens: 2, output_tokens: 3, total_tokens: 5 });
    }
    expect(seen.size).toBe(N);
  });
});

describe('tracedOpenAI(client)', () => {
  test('traces one client without global patching', async () => {
    await autolog({ disable: true });
    const client = tracedOpenAI(newClient());
    const plain = newClient();
    await parent(() => client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'wrapped' }] }));
    await plain.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'not traced' }] });
    expect(memory.traces).toHaveLength(1);
    expect(memory.traces[0]!.data.spans.map((s) => s.name)).toEqual(['request', 'Completions']);
    // other client API still works through the proxy
    expect(client.baseURL).toBe(server.baseURL);
    expect(typeof client.withOptions).toBe('function');
  });

  test('the SDK helpers chat.completions.stream() and runTools() are traced through the wrapped client', async () => {
    await autolog({ disable: true });
    const client = tracedOpenAI(newClient());
    const stream = client.chat.completions.stream({ model: 'gpt-test', stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'helper stream' }] });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe('Echo: helper stream');
    await until(() => memory.traces.length === 1, 'stream trace');
    const llm = onlySpan(memory.traces[0]!, 'Completions');
    expect((llm.outputs as any).choices[0].message.content).toBe('Echo: helper stream');
    expect(llm.tokenUsage).toEqual({ input_tokens: 2, output_tokens: 3, total_tokens: 5 });
    memory.clear();
    const runner = client.chat.completions.runTools({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'use the tool' }],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} }, function: async () => 'tool said hi' } }],
    });
    expect(await runner.finalContent()).toBe('Echo: use the tool');
    await until(() => memory.traces.length === 2, 'one trace per model call');
    expect(memory.traces.map((t) => t.data.spans.map((s) => s.name))).toEqual([['Completions'], ['Completions']]);
  });

  test('with autolog also on, still one span per call', async () => {
    await autolog();
    try {
      const client = tracedOpenAI(newClient());
      await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'once' }] });
      expect(memory.traces).toHaveLength(1);
      expect(memory.traces[0]!.data.spans).toHaveLength(1);
    } finally {
      await autolog({ disable: true });
    }
  });
});
