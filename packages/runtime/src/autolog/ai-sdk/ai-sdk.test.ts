/**
 * The real `ai` + `@ai-sdk/openai` packages against the fake OpenAI server on 127.0.0.1, traced
 * through `experimental_telemetry: aiSdkTelemetry()`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { embed, generateObject, generateText, stepCountIs, streamText, tool } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { createAnthropic } from '@ai-sdk/anthropic';
import { z } from 'zod';
import { importCompiled } from '../../core/__tests__/compile.js';
import { tree, useMemoryDestination } from '../../core/__tests__/memory.js';
import { withSpan } from '../../api/spans.js';
import { disableTracing, enableTracing } from '../../api/control.js';
import { SpanType } from '../../model/constants.js';
import { traceToJsonText } from '../../model/json.js';
import { FIRST_TOKEN_EVENT, TIME_TO_FIRST_TOKEN_KEY } from '../common/llm-call.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../testing/fake-openai-server.js';
import { startFakeAnthropicServer } from '../testing/fake-anthropic-server.js';
import { K, attr, onlySpan, spansOfType, traceTokenUsage, until } from '../testing/traces.js';
import { ragAppSource } from '../testing/rag-app.js';
import { aiSdkTelemetry, autolog, tracedAiSdk } from './index.js';
import * as aiModule from 'ai';

const API_KEY = 'sk-aisdk-SECRET-93c1f0d2';
const memory = useMemoryDestination();
let server: FakeOpenAIServer;
let provider: ReturnType<typeof createOpenAI>;

beforeAll(async () => {
  server = await startFakeOpenAIServer({ reply: (q, body) => (JSON.stringify(body).includes('json_schema') ? '{"city":"Paris"}' : `Echo: ${q}`) });
  provider = createOpenAI({ baseURL: server.baseURL, apiKey: API_KEY });
});
afterAll(() => server.close());

const telemetry = aiSdkTelemetry();

describe('generateText', () => {
  test('one trace under the caller: the call (CHAIN) and its model call (LLM) with usage, model, provider', async () => {
    const out = await withSpan(
      () => generateText({ model: provider.chat('gpt-test'), prompt: 'what is tracing', experimental_telemetry: telemetry, maxRetries: 0 }),
      { name: 'request', spanType: SpanType.CHAIN },
    );
    expect(out.text).toBe('Echo: what is tracing');
    expect(memory.traces).toHaveLength(1);
    const trace = memory.traces[0]!;
    expect(tree(trace)).toMatchObject({
      name: 'request',
      children: [{ name: 'ai.generateText', type: 'CHAIN', status: 'OK', children: [{ name: 'ai.generateText.doGenerate', type: 'LLM', status: 'OK', children: [] }] }],
    });
    const llm = onlySpan(trace, 'ai.generateText.doGenerate');
    expect(attr(llm, K.MODEL)).toBe('gpt-test');
    expect(attr(llm, K.PROVIDER)).toBe('openai');
    expect((llm.inputs as any).messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'what is tracing' }] }]);
    expect(llm.outputs).toMatchObject({ text: 'Echo: what is tracing', finishReason: 'stop' });
    expect(llm.tokenUsage).toEqual({ input_tokens: 3, output_tokens: 4, total_tokens: 7 });
    expect(onlySpan(trace, 'ai.generateText').tokenUsage).toBeUndefined();
    expect(traceTokenUsage(trace)).toEqual({ input_tokens: 3, output_tokens: 4, total_tokens: 7 });
    expect(traceToJsonText(trace)).not.toContain('SECRET');
  });

  test('multi-step tool loop: a TOOL span per execution, an LLM span per step, usage summed once; spans inside the tool nest under it', async () => {
    const search = tool({
      description: 'Search the docs',
      inputSchema: z.object({ query: z.string() }),
      execute: async ({ query }) => withSpan(async () => `docs about ${query}`, { name: 'lookup', spanType: SpanType.RETRIEVER }),
    });
    const out = await generateText({
      model: provider.chat('gpt-test'),
      prompt: 'find spans',
      tools: { search },
      stopWhen: stepCountIs(3),
      experimental_telemetry: telemetry,
    });
    expect(out.steps).toHaveLength(2);
    const trace = memory.traces[0]!;
    expect(tree(trace)).toMatchObject({
      name: 'ai.generateText',
      children: [
        { name: 'ai.generateText.doGenerate', type: 'LLM', children: [] },
        { name: 'search', type: 'TOOL', inputs: { query: 'find spans' }, outputs: 'docs about find spans', children: [{ name: 'lookup', type: 'RETRIEVER' }] },
        { name: 'ai.generateText.doGenerate', type: 'LLM', children: [] },
      ],
    });
    const [first, second] = spansOfType(trace, 'LLM');
    expect(attr(first!, K.CHAT_TOOLS)).toEqual([{ type: 'function', function: { name: 'search', description: 'Search the docs', parameters: expect.objectContaining({ type: 'object' }) } }]);
    const sum = (k: 'input_tokens' | 'output_tokens') => first!.tokenUsage![k] + second!.tokenUsage![k];
    expect(traceTokenUsage(trace)).toMatchObject({ input_tokens: sum('input_tokens'), output_tokens: sum('output_tokens') });
    expect(out.totalUsage.inputTokens).toBe(sum('input_tokens'));
  });

  test('an API error: spans ERROR with the SDK error class name, the same error reaches the caller', async () => {
    const error = await generateText({ model: provider.chat('fail-500'), prompt: 'x', maxRetries: 0, experimental_telemetry: telemetry }).catch((e) => e);
    expect(error.name).toBe('AI_APICallError');
    const trace = memory.traces[0]!;
    const llm = onlySpan(trace, 'ai.generateText.doGenerate');
    expect(llm.status.statusCode).toBe('STATUS_CODE_ERROR');
    expect(llm.events.find((e) => e.name === 'exception')?.attributes['exception.type']).toBe('AI_APICallError');
    expect(onlySpan(trace, 'ai.generateText').status.statusCode).toBe('STATUS_CODE_ERROR');
  });

  test('credentials passed as request headers are not recorded (the SDK itself records headers)', async () => {
    await generateText({ model: provider.chat('gpt-test'), prompt: 'hi', headers: { Authorization: 'Bearer sk-header-SECRET-1', 'x-trace-tag': 'kept' }, experimental_telemetry: telemetry });
    const text = traceToJsonText(memory.traces[0]!);
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('ai.request.headers');
  });

  test('tracing disabled: the call works and records nothing', async () => {
    disableTracing();
    try {
      const out = await generateText({ model: provider.chat('gpt-test'), prompt: 'quiet', experimental_telemetry: telemetry });
      expect(out.text).toBe('Echo: quiet');
    } finally {
      enableTracing();
    }
    expect(memory.traces).toHaveLength(0);
  });
});

test('autolog() (the ai 7 integration) on ai 6: ai 6 calls it with its own events, which are ignored: one trace per traced call, none otherwise', async () => {
  await autolog();
  try {
    await generateText({ model: provider.chat('gpt-test'), prompt: 'traced', experimental_telemetry: telemetry });
    await generateText({ model: provider.chat('gpt-test'), prompt: 'untraced', tools: { t: tool({ inputSchema: z.object({}), execute: async () => 'x' }) }, stopWhen: stepCountIs(2) });
  } finally {
    await autolog({ disable: true });
  }
  expect(memory.traces).toHaveLength(1);
  expect(memory.traces[0]!.data.spans.map((s) => s.name)).toEqual(['ai.generateText', 'ai.generateText.doGenerate']);
  expect((globalThis as { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] }).AI_SDK_TELEMETRY_INTEGRATIONS).toEqual([]);
});

test('tracedAiSdk(ai): calls without per-call settings are traced; telemetry settings given on a call win', async () => {
  const ai = tracedAiSdk(aiModule);
  expect(ai.stepCountIs).toBe(aiModule.stepCountIs);
  const out = await ai.generateText({ model: provider.chat('gpt-test'), prompt: 'no settings' });
  expect(out.text).toBe('Echo: no settings');
  const r = ai.streamText({ model: provider.chat('gpt-test'), prompt: 'streamed' });
  for await (const _ of r.textStream) void _;
  await ai.generateText({ model: provider.chat('gpt-test'), prompt: 'opted out', experimental_telemetry: { isEnabled: false } });
  await until(() => memory.traces.length === 2, 'two traces');
  expect(memory.traces.map((t) => t.data.spans.find((s) => s.parentId === null)!.name).sort()).toEqual(['ai.generateText', 'ai.streamText']);
});

describe('streamText', () => {
  test('the span stays open until the stream is consumed; time to first token; usage', async () => {
    const result = streamText({ model: provider.chat('gpt-test'), prompt: 'stream this please', experimental_telemetry: telemetry });
    let text = '';
    let n = 0;
    for await (const piece of result.textStream) {
      if (n++ === 0) expect(memory.traces).toHaveLength(0);
      text += piece;
    }
    expect(text).toBe('Echo: stream this please');
    await until(() => memory.traces.length === 1, 'trace export');
    const trace = memory.traces[0]!;
    const llm = onlySpan(trace, 'ai.streamText.doStream');
    expect(llm.spanType).toBe('LLM');
    expect(llm.outputs).toMatchObject({ text: 'Echo: stream this please' });
    expect(llm.tokenUsage).toEqual({ input_tokens: 3, output_tokens: 4, total_tokens: 7 });
    expect(typeof attr(llm, TIME_TO_FIRST_TOKEN_KEY)).toBe('number');
    expect(llm.events.map((e) => e.name)).toContain(FIRST_TOKEN_EVENT);
    expect(traceTokenUsage(trace)).toEqual({ input_tokens: 3, output_tokens: 4, total_tokens: 7 });
  });

  test('100 concurrent streamed calls under 100 requests: 100 traces, no crossed spans', async () => {
    const outs = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        withSpan(
          async () => {
            const r = streamText({ model: provider.chat('gpt-test'), prompt: `question ${i}`, experimental_telemetry: telemetry });
            let text = '';
            for await (const t of r.textStream) text += t;
            return text;
          },
          { name: `request-${i}` },
        ),
      ),
    );
    expect(outs).toEqual(Array.from({ length: 100 }, (_, i) => `Echo: question ${i}`));
    await until(() => memory.traces.length === 100, '100 traces');
    for (const trace of memory.traces) {
      const root = trace.data.spans.find((s) => s.parentId === null)!;
      const i = root.name.replace('request-', '');
      expect(trace.data.spans).toHaveLength(3);
      expect(onlySpan(trace, 'ai.streamText.doStream').outputs).toMatchObject({ text: `Echo: question ${i}` });
    }
  });
});

test('generateObject and embed', async () => {
  const { object } = await generateObject({
    model: provider.chat('gpt-test'),
    schema: z.object({ city: z.string() }),
    prompt: 'capital of France',
    experimental_telemetry: telemetry,
  });
  expect(object).toEqual({ city: 'Paris' });
  const { embedding } = await embed({ model: provider.embedding('emb-test'), value: 'one two three', experimental_telemetry: telemetry });
  expect(embedding).toHaveLength(8);
  expect(memory.traces).toHaveLength(2);
  const [objTrace, embTrace] = memory.traces;
  expect(onlySpan(objTrace!, 'ai.generateObject').outputs).toEqual({ city: 'Paris' });
  // Under load the SDK may retry a request whose socket failed (a retryable network error): one
  // model span per attempt, the last one OK. Seen for both calls on a loaded CI machine.
  const attemptsOf = (trace: typeof objTrace, name: string, type: string) => {
    const attempts = trace!.data.spans.filter((s) => s.name === name);
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.map((s) => s.spanType)).toEqual(attempts.map(() => type));
    expect(attempts.at(-1)!.status.statusCode).toBe('STATUS_CODE_OK');
  };
  attemptsOf(objTrace, 'ai.generateObject.doGenerate', 'LLM');
  attemptsOf(embTrace, 'ai.embed.doEmbed', 'EMBEDDING');
  expect(tree(embTrace!)).toMatchObject({ name: 'ai.embed', type: 'EMBEDDING', inputs: { value: 'one two three' } });
  expect(new Set(tree(embTrace!).children.map((c) => c.name))).toEqual(new Set(['ai.embed.doEmbed']));
  expect(onlySpan(embTrace!, 'ai.embed').outputs).toEqual({ embedding });
});

test('the Anthropic provider, streamed, with cache usage: provider, model, tokens incl. cache reads/writes', async () => {
  const anthropicServer = await startFakeAnthropicServer();
  try {
    const anthropic = createAnthropic({ baseURL: `${anthropicServer.url}/v1`, apiKey: 'sk-ant-SECRET-77' });
    const result = streamText({ model: anthropic('claude-cached'), prompt: 'cache me please', experimental_telemetry: telemetry });
    let text = '';
    for await (const t of result.textStream) text += t;
    expect(text).toBe('Echo: cache me please');
    await until(() => memory.traces.length === 1, 'trace export');
    const trace = memory.traces[0]!;
    const llm = onlySpan(trace, 'ai.streamText.doStream');
    expect(attr(llm, K.PROVIDER)).toBe('anthropic');
    expect(attr(llm, K.MODEL)).toBe('claude-cached');
    const usage = await result.usage;
    expect(llm.tokenUsage).toEqual({
      input_tokens: usage.inputTokens,
      output_tokens: usage.outputTokens,
      total_tokens: usage.totalTokens,
      cache_read_input_tokens: 7,
      cache_creation_input_tokens: 3,
    });
    expect(traceToJsonText(trace)).not.toContain('SECRET');
  } finally {
    await anthropicServer.close();
  }
});

const APP = ragAppSource(
  `import { aiSdkTelemetry } from '@tracewright/runtime/ai-sdk';\nimport { generateText } from 'ai';`,
  `const res = await generateText({ model: this.llm, system: context, prompt: question, experimental_telemetry: aiSdkTelemetry() });
    return res.text;`,
);

test('combining: @Trace(CHAIN) → @Trace(RETRIEVER) → generateText: one trace, usage on the LLM span and the trace', async () => {
  const { RagApp } = await importCompiled(APP);
  const answer = await new RagApp(provider.chat('gpt-rag')).ragQuery('spans');
  expect(answer).toBe('Echo: spans');
  await until(() => memory.traces.length === 1, 'trace export');
  const trace = memory.traces[0]!;
  expect(tree(trace)).toMatchObject({
    name: 'ragQuery',
    type: 'CHAIN',
    children: [
      { name: 'search', type: 'RETRIEVER', children: [] },
      { name: 'ai.generateText', type: 'CHAIN', children: [{ name: 'ai.generateText.doGenerate', type: 'LLM' }] },
    ],
  });
  const llm = onlySpan(trace, 'ai.generateText.doGenerate');
  // system "Context: MLflow Tracing records spans for spans" (7) + user "spans" (1); reply 2 words
  expect(llm.tokenUsage).toEqual({ input_tokens: 8, output_tokens: 2, total_tokens: 10 });
  expect(traceTokenUsage(trace)).toEqual({ input_tokens: 8, output_tokens: 2, total_tokens: 10 });
});
