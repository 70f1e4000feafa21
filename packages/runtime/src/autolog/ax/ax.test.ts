import { beforeAll, describe, expect, test } from 'vitest';
import { ai, ax, AxGen } from '@ax-llm/ax';
import { useMemoryDestination, tree } from '../../core/__tests__/memory.js';
import { traceToJsonText } from '../../model/json.js';
import { patchedCount } from '../common/patch-registry.js';
import { TIME_TO_FIRST_TOKEN_KEY } from '../common/llm-call.js';
import { startFakeOpenAIServer } from '../testing/fake-openai-server.js';
import { useFakeServer } from '../testing/fake-server-hooks.js';
import { runCombining, runConcurrentStreams, underRequestSpan } from '../testing/scenarios.js';
import { K, attr, onlySpan, spansOfType, traceTokenUsage, until } from '../testing/traces.js';
import { autolog as openaiAutolog } from '../openai/index.js';
import { autolog } from './index.js';

const API_KEY = 'sk-ax-test-SECRET-9a8b7c6d';

const memory = useMemoryDestination();
const fake = useFakeServer(startFakeOpenAIServer, autolog);

const newAI = (model = 'gpt-4o-mini') => ai({ name: 'openai', apiKey: API_KEY, apiURL: fake.server.baseURL, config: { model: model as any } });
const qa = () => ax('question:string -> answer:string');
const searchDocs = {
  name: 'search_docs',
  description: 'Search the docs',
  parameters: { type: 'object' as const, properties: { query: { type: 'string' as const, description: 'what to look for' } }, required: ['query'] },
  func: async ({ query }: { query: string }) => `docs about ${query.trim()}`,
};
const firstTrace = async () => {
  await until(() => memory.traces.length > 0, 'trace export');
  return memory.traces[0]!;
};
const usageOf = (s: { tokenUsage?: unknown }) => s.tokenUsage as { input_tokens: number; output_tokens: number; total_tokens: number };

describe('ax autolog', () => {
  let early: AxGen<any, any>;
  beforeAll(async () => {
    early = qa(); // a program created before autolog()
    await autolog();
  });

  test('idempotent; a program created before autolog() is traced', async () => {
    const count = patchedCount('ax');
    expect([8, 16]).toContain(count); // per copy (CJS, ESM): chat, embed; forward and streamingForward of AxGen, AxAgent, AxFlow
    await autolog();
    expect(patchedCount('ax')).toBe(count);
    await early.forward(newAI(), { question: 'early' });
    await until(() => memory.traces.length === 1, 'trace export');
    expect(memory.traces.map((t) => t.data.spans.map((s) => s.name))).toEqual([['AxGen.forward', 'OpenAI.chat']]);
  });

  test('forward under a parent: CHAIN program span → LLM span with prompt, model, provider, usage', async () => {
    const out = await underRequestSpan(() => qa().forward(newAI(), { question: 'what is tracing' }));
    expect(out).toEqual({ answer: 'Echo: Question: what is tracing' });
    const trace = await firstTrace();
    expect(tree(trace)).toMatchObject({
      name: 'request',
      children: [{ name: 'AxGen.forward', type: 'CHAIN', status: 'OK', inputs: { question: 'what is tracing' }, outputs: out, children: [{ name: 'OpenAI.chat', type: 'LLM', children: [] }] }],
    });
    const program = onlySpan(trace, 'AxGen.forward');
    expect(attr(program, 'ax.signature')).toBe('question:string -> answer:string');
    const llm = onlySpan(trace, 'OpenAI.chat');
    expect(attr(llm, K.MESSAGE_FORMAT)).toBe('ax');
    expect(attr(llm, K.PROVIDER)).toBe('openai');
    expect(attr(llm, K.MODEL)).toBe('gpt-4o-mini');
    const prompt = (llm.inputs as any).chatPrompt;
    expect(prompt.at(-1)).toMatchObject({ role: 'user', content: expect.stringContaining('what is tracing') });
    expect((llm.outputs as any).results[0].content).toContain('Echo: Question: what is tracing');
    // the fake server counts words: what it billed is what the span and the trace carry
    const sent = fake.server.requests.at(-1)!.body.messages.map((m: any) => m.content).join(' ');
    expect(usageOf(llm).input_tokens).toBe(sent.split(/\s+/).filter(Boolean).length);
    expect(traceTokenUsage(trace)).toEqual(llm.tokenUsage);
  });

  test('functions: two LLM spans (function call, then answer) under the program, tools recorded, usage summed', async () => {
    const out = await qa().forward(newAI(), { question: 'use tool' }, { functions: [searchDocs] });
    expect(out.answer).toContain('use tool');
    const trace = await firstTrace();
    const llms = spansOfType(trace, 'LLM');
    expect(llms).toHaveLength(2);
    for (const llm of llms) expect(llm.parentId).toBe(onlySpan(trace, 'AxGen.forward').spanId);
    expect(attr(llms[0]!, K.CHAT_TOOLS)).toEqual([{ type: 'function', function: { name: 'search_docs', description: 'Search the docs', parameters: searchDocs.parameters } }]);
    expect((llms[0]!.inputs as any).functions[0]).not.toHaveProperty('func');
    expect((llms[0]!.outputs as any).results[0].functionCalls[0].function.name).toBe('search_docs');
    expect(JSON.stringify((llms[1]!.inputs as any).chatPrompt)).toContain('docs about Question: use tool');
    const sum = (k: 'input_tokens' | 'output_tokens' | 'total_tokens') => usageOf(llms[0]!)[k] + usageOf(llms[1]!)[k];
    expect(traceTokenUsage(trace)).toEqual({ input_tokens: sum('input_tokens'), output_tokens: sum('output_tokens'), total_tokens: sum('total_tokens') });
  });

  test('ax streams by default: the LLM span follows ax reading the web stream (getReader, pipeThrough) to its end; time to first token', async () => {
    const out = await qa().forward(newAI(), { question: 'streamed words' });
    expect(out.answer).toBe('Echo: Question: streamed words');
    const trace = await firstTrace();
    const llm = onlySpan(trace, 'OpenAI.chat');
    expect(llm.status.statusCode).toBe('STATUS_CODE_OK');
    expect((llm.outputs as any).results[0].content).toContain('Echo: Question: streamed words');
    expect(attr(llm, TIME_TO_FIRST_TOKEN_KEY)).toBeGreaterThan(0);
    expect(fake.server.requests.at(-1)!.body.stream).toBe(true);
    expect(llm.endTimeUnixNano! <= onlySpan(trace, 'AxGen.forward').endTimeUnixNano!).toBe(true);
  });

  test('stream: false — a plain response on the LLM span', async () => {
    const out = await qa().forward(newAI(), { question: 'not streamed' }, { stream: false });
    expect(out.answer).toBe('Echo: Question: not streamed');
    const llm = onlySpan(await firstTrace(), 'OpenAI.chat');
    expect(fake.server.requests.at(-1)!.body.stream).toBeFalsy();
    expect(llm.outputs).toMatchObject({ results: [{ content: expect.stringContaining('Echo: Question: not streamed'), finishReason: 'stop' }] });
    expect(attr(llm, TIME_TO_FIRST_TOKEN_KEY)).toBeUndefined();
  });

  test('streamingForward: the CHAIN span stays open until the program stream is consumed', async () => {
    const parts: unknown[] = [];
    for await (const part of qa().streamingForward(newAI(), { question: 'step by step' }, { stream: true })) parts.push(part);
    expect(parts.length).toBeGreaterThan(0);
    await until(() => memory.traces.length === 1, 'trace export');
    const trace = await firstTrace();
    expect(tree(trace)).toMatchObject({ name: 'AxGen.streamingForward', type: 'CHAIN', status: 'OK', children: [{ name: 'OpenAI.chat', type: 'LLM' }] });
  });

  test('the service call itself (ai.chat, outside any program) and embed', async () => {
    const service = newAI();
    const res = (await service.chat({ chatPrompt: [{ role: 'user', content: 'direct call' }] }, { stream: false })) as any;
    expect(res.results[0].content).toBe('Echo: direct call');
    const emb = await service.embed({ texts: ['one two', 'three'], embedModel: 'text-embedding-3-small' });
    expect(emb.embeddings).toHaveLength(2);
    await until(() => memory.traces.length === 2, 'two traces');
    const [chat, embed] = memory.traces.map((t) => t.data.spans[0]!);
    expect([chat!.name, chat!.spanType, embed!.name, embed!.spanType]).toEqual(['OpenAI.chat', 'LLM', 'OpenAI.embed', 'EMBEDDING']);
    expect(chat!.tokenUsage).toEqual({ input_tokens: 2, output_tokens: 3, total_tokens: 5 });
  });

  test('errors: the LLM span records the service error, the program span the AxGenerateError wrapping it; rethrown unchanged; the quoted key masked', async () => {
    const error = await qa()
      .forward(newAI('reject-key'), { question: 'x' }, { stream: false })
      .catch((e: unknown) => e as Error & { cause?: Error });
    expect(error.name).toBe('AxGenerateError');
    expect(error.cause!.name).toBe('AxAIServiceAuthenticationError');
    const trace = await firstTrace();
    const exceptionType = (name: string) => onlySpan(trace, name).events.find((e) => e.name === 'exception')!.attributes['exception.type'];
    expect(onlySpan(trace, 'OpenAI.chat').status.statusCode).toBe('STATUS_CODE_ERROR');
    expect(exceptionType('OpenAI.chat')).toBe('AxAIServiceAuthenticationError');
    expect(exceptionType('AxGen.forward')).toBe('AxGenerateError');
    expect(traceToJsonText(trace)).not.toContain('SECRET'); // the 401 quotes the key back
  });

  test('the combining test: @Trace(CHAIN) → @Trace(RETRIEVER) → ax program, one trace with usage', async () => {
    const service = newAI();
    const program = ax('context:string, question:string -> answer:string');
    const { answer, trace } = await runCombining(memory, async (context, question) => (await program.forward(service, { context, question })).answer as string);
    expect(answer).toContain('Question: spans');
    const llm = onlySpan(trace, 'OpenAI.chat');
    expect(onlySpan(trace, 'AxGen.forward').parentId).toBe(onlySpan(trace, 'ragQuery').spanId);
    expect(llm.parentId).toBe(onlySpan(trace, 'AxGen.forward').spanId);
    expect(traceTokenUsage(trace)).toEqual(llm.tokenUsage);
  });

  test('50 concurrent streamed programs → 50 traces, no crossed spans', async () => {
    const service = newAI();
    const program = qa();
    await runConcurrentStreams(memory, 50, async (marker) => (await program.forward(service, { question: `about ${marker}` })).answer as string);
  });

  test('with the OpenAI integration on too: ax calls by fetch, so one LLM span per request and tokens counted once', async () => {
    await openaiAutolog();
    try {
      await qa().forward(newAI(), { question: 'both on' });
    } finally {
      await openaiAutolog({ disable: true });
    }
    const trace = await firstTrace();
    expect(trace.data.spans.map((s) => s.name)).toEqual(['AxGen.forward', 'OpenAI.chat']);
    expect(traceTokenUsage(trace)).toEqual(onlySpan(trace, 'OpenAI.chat').tokenUsage);
  });

  test('the API key never reaches the stored trace', async () => {
    await qa().forward(newAI(), { question: 'k' });
    expect(fake.server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(traceToJsonText(await firstTrace())).not.toContain('SECRET');
  });

  test('autolog({ disable: true }) restores ax: nothing patched, programs untraced; on again after', async () => {
    await autolog({ disable: true });
    expect(patchedCount('ax')).toBe(0);
    const out = await qa().forward(newAI(), { question: 'untraced' });
    expect(out.answer).toBe('Echo: Question: untraced');
    expect(memory.traces).toHaveLength(0);
    await autolog();
    await qa().forward(newAI(), { question: 'traced' });
    expect(memory.traces).toHaveLength(1);
  });
});
