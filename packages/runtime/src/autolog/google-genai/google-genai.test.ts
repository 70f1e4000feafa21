import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as GenaiEsm from '@google/genai';
import { useMemoryDestination } from '../../core/__tests__/memory.js';
import { traceToJsonText } from '../../model/json.js';
import { patchedCount } from '../common/patch-registry.js';
import { STREAM_ABORTED_EVENT, TIME_TO_FIRST_TOKEN_KEY } from '../common/llm-call.js';
import { startFakeGoogleServer } from '../testing/fake-google-server.js';
import type { FakeServer } from '../testing/http.js';
import { runCombining, runConcurrentStreams, underRequestSpan } from '../testing/scenarios.js';
import { K, attr, onlySpan, traceTokenUsage, until } from '../testing/traces.js';
import { autolog, tracedGoogleGenAI } from './index.js';

const require = createRequire(import.meta.url);
const GenaiCjs = require('@google/genai') as typeof GenaiEsm;
const API_KEY = 'AIza-test-SECRET-9c1d2e3f';

const memory = useMemoryDestination();
let server: FakeServer;

beforeAll(async () => {
  server = await startFakeGoogleServer();
});
afterAll(async () => {
  await autolog({ disable: true });
  await server.close();
});

const newClient = (Sdk: typeof GenaiEsm = GenaiEsm) => new Sdk.GoogleGenAI({ apiKey: API_KEY, httpOptions: { baseUrl: server.url } });
const searchTool = { functionDeclarations: [{ name: 'search_docs', description: 'Search the docs', parametersJsonSchema: { type: 'object', properties: { query: { type: 'string' } } } }] };

describe('google-genai autolog', () => {
  // A client made before autolog() is traced too (the patched methods are on the prototype).
  let early: GenaiEsm.GoogleGenAI;
  beforeAll(async () => {
    early = newClient();
    const r = await autolog();
    expect(r.copies).toBe(2);
  });

  test('a client created before autolog() is traced', async () => {
    await early.models.generateContent({ model: 'gemini-test', contents: 'early client' });
    expect(memory.traces.map((t) => t.data.spans.map((s) => s.name))).toEqual([['generateContent']]);
  });

  test('ESM and CJS copies both patched, idempotently', async () => {
    expect(GenaiCjs.Models).not.toBe(GenaiEsm.Models);
    const count = patchedCount('google-genai');
    expect(count).toBe(8); // 3 Models methods + Chat.sendMessage, in 2 copies
    await autolog();
    expect(patchedCount('google-genai')).toBe(count);
    for (const Sdk of [GenaiEsm, GenaiCjs]) await newClient(Sdk).models.generateContent({ model: 'gemini-test', contents: 'hi' });
    expect(memory.traces.map((t) => t.data.spans.map((s) => s.name))).toEqual([['generateContent'], ['generateContent']]);
  });

  test('generateContent under a parent: LLM span with format, model, provider, inputs, output, usage incl. thinking + cache', async () => {
    const client = newClient();
    const res = await underRequestSpan(() => client.models.generateContent({ model: 'gemini-thinking-cached', contents: 'what is tracing', config: { temperature: 0 } }));
    expect(res.text).toBe('Echo: what is tracing');
    const trace = memory.traces[0]!;
    const span = onlySpan(trace, 'generateContent');
    expect(span.parentId).toBe(onlySpan(trace, 'request').spanId);
    expect(span.spanType).toBe('LLM');
    expect(attr(span, K.MESSAGE_FORMAT)).toBe('gemini');
    expect(attr(span, K.PROVIDER)).toBe('google');
    expect(attr(span, K.MODEL)).toBe('gemini-thinking-cached-001');
    expect(span.inputs).toMatchObject({ model: 'gemini-thinking-cached', contents: 'what is tracing', config: { temperature: 0 } });
    expect((span.outputs as any).candidates[0].content.parts[0].text).toBe('Echo: what is tracing');
    // prompt 3, candidates 4 + thoughts 5
    const usage = { input_tokens: 3, output_tokens: 9, total_tokens: 12, cache_read_input_tokens: 2 };
    expect(span.tokenUsage).toEqual(usage);
    expect(traceTokenUsage(trace)).toEqual(usage);
  });

  test('function calling: tool definitions in chat-tools form, functionCall in the output', async () => {
    const client = newClient();
    const res = await client.models.generateContent({ model: 'gemini-test', contents: 'find docs', config: { tools: [searchTool] } });
    expect(res.functionCalls?.[0]).toMatchObject({ name: 'search_docs', args: { query: 'find docs' } });
    const span = onlySpan(memory.traces[0]!, 'generateContent');
    expect(attr(span, K.CHAT_TOOLS)).toEqual([{ type: 'function', function: { name: 'search_docs', description: 'Search the docs', parameters: searchTool.functionDeclarations[0]!.parametersJsonSchema } }]);
    expect((span.outputs as any).candidates[0].content.parts[1]).toEqual({ functionCall: { name: 'search_docs', args: { query: 'find docs' } } });
  });

  test('generateContentStream: span open until consumed, chunks assembled, usage, time to first token', async () => {
    const client = newClient();
    const stream = await underRequestSpan(async () => {
      const s = await client.models.generateContentStream({ model: 'gemini-test', contents: 'stream this please', config: { tools: [searchTool] } });
      const texts: string[] = [];
      for await (const chunk of s) texts.push(chunk.text ?? '');
      return texts;
    });
    expect(stream.join('')).toBe('Calling a tool.');
    await until(() => memory.traces.length === 1, 'trace export');
    const span = onlySpan(memory.traces[0]!, 'generateContentStream');
    expect(span.parentId).toBe(onlySpan(memory.traces[0]!, 'request').spanId);
    const out = span.outputs as any;
    expect(out.candidates[0].content.parts).toEqual([{ text: 'Calling a tool.' }, { functionCall: { name: 'search_docs', args: { query: 'stream this please' } } }]);
    expect(out.candidates[0].finishReason).toBe('STOP');
    expect(span.tokenUsage).toEqual({ input_tokens: 3, output_tokens: 4, total_tokens: 7 });
    expect(attr(span, TIME_TO_FIRST_TOKEN_KEY)).toBeGreaterThan(0);
  });

  test('a stream closed early (break) ends its span with what arrived', async () => {
    const client = newClient();
    const s = await client.models.generateContentStream({ model: 'slow-stream', contents: 'a b c d e f g' });
    let n = 0;
    for await (const _ of s) if (++n === 2) break;
    await until(() => memory.traces.length === 1, 'trace export');
    const span = onlySpan(memory.traces[0]!, 'generateContentStream');
    expect(span.status.statusCode).not.toBe('STATUS_CODE_ERROR');
    expect((span.outputs as any).candidates[0].content.parts[0].text).toBe('Echo: a ');
  });

  test('an aborted stream (abortSignal) ends its span', async () => {
    const client = newClient();
    const controller = new AbortController();
    const s = await client.models.generateContentStream({ model: 'slow-stream', contents: 'a b c d e f g', config: { abortSignal: controller.signal } });
    const err = await (async () => {
      let n = 0;
      for await (const _ of s) if (++n === 2) controller.abort();
    })().catch((e) => e);
    await until(() => memory.traces.length === 1, 'trace export');
    const span = onlySpan(memory.traces[0]!, 'generateContentStream');
    expect(span.endTimeUnixNano).toBeGreaterThan(0n);
    if (err) expect(span.status.statusCode).toBe('STATUS_CODE_ERROR');
    expect(span.events.some((e) => e.name === STREAM_ABORTED_EVENT || e.name === 'exception')).toBe(true);
    expect(JSON.stringify(span.inputs)).not.toContain('abortSignal');
  });

  test('chats: sendMessage is a CHAT_MODEL span over its LLM request; the history is in the second request', async () => {
    const chat = newClient().chats.create({ model: 'gemini-test' });
    await chat.sendMessage({ message: 'first turn' });
    const second = await chat.sendMessage({ message: 'second turn' });
    expect(second.text).toBe('Echo: second turn');
    await until(() => memory.traces.length === 2, 'two traces');
    const trace = memory.traces[1]!;
    const turn = onlySpan(trace, 'sendMessage');
    const llm = onlySpan(trace, 'generateContent');
    expect(turn.spanType).toBe('CHAT_MODEL');
    expect(llm.parentId).toBe(turn.spanId);
    expect(turn.inputs).toEqual({ message: 'second turn' });
    expect((llm.inputs as any).contents).toHaveLength(3);
    // usage on the LLM span only: the trace total counts it once
    expect(turn.tokenUsage).toBeUndefined();
    expect(traceTokenUsage(trace)).toEqual(llm.tokenUsage);
  });

  test('chats: sendMessageStream is traced through its LLM request', async () => {
    const chat = newClient().chats.create({ model: 'gemini-test' });
    let text = '';
    for await (const chunk of await chat.sendMessageStream({ message: 'streamed turn' })) text += chunk.text ?? '';
    expect(text).toBe('Echo: streamed turn');
    await until(() => memory.traces.length === 1, 'trace export');
    expect((onlySpan(memory.traces[0]!, 'generateContentStream').outputs as any).candidates[0].content.parts[0].text).toBe('Echo: streamed turn');
  });

  test('embedContent: EMBEDDING span with the vectors', async () => {
    const res = await newClient().models.embedContent({ model: 'text-embedding-004', contents: ['one two', 'three'] });
    expect(res.embeddings?.map((e) => e.values?.[0])).toEqual([2, 1]);
    const span = onlySpan(memory.traces[0]!, 'embedContent');
    expect(span.spanType).toBe('EMBEDDING');
    expect(span.inputs).toEqual({ model: 'text-embedding-004', contents: ['one two', 'three'] });
    expect((span.outputs as any).embeddings).toHaveLength(2);
  });

  test('errors (500, 429) are recorded with the SDK class name and rethrown unchanged', async () => {
    const client = newClient();
    const errors = await Promise.all(['fail-500', 'rate-limited'].map((model) => client.models.generateContent({ model, contents: 'x' }).catch((e) => e)));
    for (const e of errors) expect(e).toBeInstanceOf(GenaiEsm.ApiError);
    expect(errors.map((e) => e.status)).toEqual([500, 429]);
    await until(() => memory.traces.length === 2, 'two traces');
    for (const trace of memory.traces) {
      const span = onlySpan(trace, 'generateContent');
      expect(span.status.statusCode).toBe('STATUS_CODE_ERROR');
      expect(span.events.find((e) => e.name === 'exception')!.attributes['exception.type']).toBe('ApiError');
    }
  });

  test('the combining test: @Trace(CHAIN) → @Trace(RETRIEVER) → generateContent, one trace with usage', async () => {
    const client = newClient();
    const { answer, trace } = await runCombining(memory, async (context, question) => (await client.models.generateContent({ model: 'gemini-test', contents: question, config: { systemInstruction: context } })).text!);
    expect(answer).toBe('Echo: spans');
    const llm = onlySpan(trace, 'generateContent');
    expect(llm.parentId).toBe(onlySpan(trace, 'ragQuery').spanId);
    expect(llm.tokenUsage).toEqual({ input_tokens: 1, output_tokens: 2, total_tokens: 3 });
    expect(traceTokenUsage(trace)).toEqual(llm.tokenUsage);
  });

  test('50 concurrent streamed calls → 50 traces, no crossed spans', async () => {
    const client = newClient();
    await runConcurrentStreams(memory, 50, async (marker) => {
      let text = '';
      for await (const chunk of await client.models.generateContentStream({ model: 'gemini-test', contents: `about ${marker}` })) text += chunk.text ?? '';
      return text;
    });
  });

  test('the API key never reaches the stored trace', async () => {
    const client = newClient();
    await client.models.generateContent({ model: 'gemini-test', contents: 'k', config: { httpOptions: { headers: { 'x-goog-api-key': API_KEY } } } });
    const rejected = await client.models.generateContent({ model: 'reject-key', contents: 'k' }).catch((e) => e);
    expect(rejected.message).toContain(API_KEY); // the program still sees the server's message
    await until(() => memory.traces.length === 2, 'two traces');
    expect(server.requests.at(-1)!.headers['x-goog-api-key']).toBe(API_KEY);
    for (const trace of memory.traces) expect(traceToJsonText(trace)).not.toContain('SECRET');
  });

  test('autolog({ disable: true }) restores the SDK', async () => {
    await autolog({ disable: true });
    expect(patchedCount('google-genai')).toBe(0);
    expect(GenaiEsm.Models.prototype.generateContentInternal).toBe((GenaiEsm.Models.prototype as any).generateContentInternal);
    await newClient().models.generateContent({ model: 'gemini-test', contents: 'untraced' });
    expect(memory.traces).toHaveLength(0);
    await autolog();
  });
});

describe('tracedGoogleGenAI(client)', () => {
  test('instruments the same client object in place, idempotently, without patching the SDK', async () => {
    await autolog({ disable: true });
    const client = newClient();
    const models = client.models;
    const keys = Object.keys(models);
    expect(tracedGoogleGenAI(client)).toBe(client);
    expect(tracedGoogleGenAI(client)).toBe(client);
    expect(client.models).toBe(models);
    expect(Object.keys(models)).toEqual(keys);
    expect(patchedCount('google-genai')).toBe(0);
    await client.models.generateContent({ model: 'gemini-test', contents: 'one' });
    await client.chats.create({ model: 'gemini-test' }).sendMessage({ message: 'two' });
    await newClient().models.generateContent({ model: 'gemini-test', contents: 'untraced' });
    await until(() => memory.traces.length === 2, 'two traces');
    expect(memory.traces.map((t) => t.data.spans.map((s) => s.name))).toEqual([['generateContent'], ['sendMessage', 'generateContent']]);
    // with autolog on as well: still one span per call
    await autolog();
    memory.clear();
    await client.models.generateContent({ model: 'gemini-test', contents: 'three' });
    await until(() => memory.traces.length === 1, 'trace');
    expect(memory.traces[0]!.data.spans.map((s) => s.name)).toEqual(['generateContent']);
    await autolog({ disable: true });
  });
});
