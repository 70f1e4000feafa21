/**
 * `ai` 7 (Node >= 22) traced with zero configuration: the real `ai` 7, `@ai-sdk/openai` 4 and
 * `@ai-sdk/anthropic` 4 from the registry (pinned; installed once into
 * platforms/node-family/.runtimes, not workspace devDependencies: the workspace runs `ai` 6 on
 * Node 20) run under the registry's Node 22 against the fake OpenAI / Anthropic servers on
 * 127.0.0.1. The programme (__tests__/ai7-child.ts) calls a plain `autolog()` without `await`
 * after importing the SDK and passes no telemetry setting on any call.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, test } from 'vitest';
import { bundleInto, ensureNode22, ensurePackages, lastJsonLine, run } from '../../../../../platforms/node-family/harness.js';

const AI7 = { ai: '7.0.173', '@ai-sdk/openai': '4.0.118', '@ai-sdk/anthropic': '4.0.105', zod: '4.6.7' };

let results: Record<string, { out: any; traces: any[] }>;
let internalErrors: number;

beforeAll(async () => {
  const dir = ensurePackages('ai-sdk-7', AI7);
  const child = await bundleInto(dir, fileURLToPath(new URL('./__tests__/ai7-child.ts', import.meta.url)), ['ai', '@ai-sdk/*', 'zod']);
  const r = await run(ensureNode22(), [child], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  ({ results, internalErrors } = lastJsonLine(r));
}, 240_000);

const llmSpans = (trace: any) => trace.spans.filter((s: any) => s.type === 'LLM');
const K = { MODEL: 'mlflow.llm.model', PROVIDER: 'mlflow.llm.provider', TOOLS: 'mlflow.chat.tools', TTFT: 'mlflow.llm.timeToFirstTokenMs' };

test('generateText: one trace under the caller, the call (CHAIN) and its model call (LLM) with usage, model, provider, messages', () => {
  const { out, traces } = results.generate!;
  expect(out).toBe('Echo: what is tracing');
  expect(traces).toHaveLength(1);
  expect(traces[0].tree).toMatchObject({
    name: 'request',
    children: [{ name: 'ai.generateText', type: 'CHAIN', status: 'OK', outputs: { text: 'Echo: what is tracing', finishReason: 'stop' }, children: [{ name: 'ai.generateText.doGenerate', type: 'LLM', status: 'OK', children: [] }] }],
  });
  const [llm] = llmSpans(traces[0]);
  expect(llm.attributes[K.MODEL]).toBe('gpt-test');
  expect(llm.attributes[K.PROVIDER]).toBe('openai');
  expect(llm.attributes['mlflow.message.format']).toBe('ai-sdk');
  expect(traces[0].tree.children[0].children[0].inputs.messages).toEqual([{ role: 'user', content: 'what is tracing' }]);
  expect(llm.tokenUsage).toEqual({ input_tokens: 3, output_tokens: 4, total_tokens: 7 });
  expect(traces[0].usage).toEqual({ input_tokens: 3, output_tokens: 4, total_tokens: 7 });
  expect(traces[0].hasSecret).toBe(false);
});

test('combining: @Trace(CHAIN) → @Trace(RETRIEVER) → generateText: one trace, usage on the LLM span and the trace', () => {
  const { out, traces } = results.combining!;
  expect(out).toBe('Echo: spans');
  expect(traces).toHaveLength(1);
  expect(traces[0].tree).toMatchObject({
    name: 'ragQuery',
    type: 'CHAIN',
    inputs: { question: 'spans' },
    outputs: 'Echo: spans',
    children: [
      { name: 'search', type: 'RETRIEVER', inputs: { query: 'spans' }, children: [] },
      { name: 'ai.generateText', type: 'CHAIN', children: [{ name: 'ai.generateText.doGenerate', type: 'LLM' }] },
    ],
  });
  const [llm] = llmSpans(traces[0]);
  // system "tracing records spans for spans" (5) + user "spans" (1); reply 2 words
  expect(llm.tokenUsage).toEqual({ input_tokens: 6, output_tokens: 2, total_tokens: 8 });
  expect(traces[0].usage).toEqual(llm.tokenUsage);
});

test('multi-step tool loop: an LLM span per step, a TOOL span per execution with the tool\'s own spans nested, usage summed once', () => {
  const { out, traces } = results.toolLoop!;
  expect(out).toMatchObject({ steps: 2, text: 'Echo: find spans' });
  expect(traces).toHaveLength(1);
  expect(traces[0].tree).toMatchObject({
    name: 'ai.generateText',
    children: [
      { name: 'ai.generateText.doGenerate', type: 'LLM', children: [] },
      { name: 'search', type: 'TOOL', inputs: { query: 'find spans' }, outputs: 'docs about find spans', children: [{ name: 'lookup', type: 'RETRIEVER' }] },
      { name: 'ai.generateText.doGenerate', type: 'LLM', children: [] },
    ],
  });
  const [first, second] = llmSpans(traces[0]);
  expect(first.attributes[K.TOOLS]).toEqual([{ type: 'function', function: { name: 'search', description: 'Search the docs', parameters: expect.objectContaining({ type: 'object' }) } }]);
  expect(traces[0].tree.children[0].outputs.toolCalls[0]).toMatchObject({ toolName: 'search', input: { query: 'find spans' } });
  const inputTokens = first.tokenUsage.input_tokens + second.tokenUsage.input_tokens;
  expect(traces[0].usage.input_tokens).toBe(inputTokens);
  expect(out.inputTokens).toBe(inputTokens);
});

test('streamText: the stream LLM span has usage and time to first token', () => {
  const { out, traces } = results.stream!;
  expect(out).toBe('Echo: stream it');
  expect(traces).toHaveLength(1);
  expect(traces[0].tree).toMatchObject({ name: 'ai.streamText', status: 'OK', outputs: { text: 'Echo: stream it' }, children: [{ name: 'ai.streamText.doStream', type: 'LLM', outputs: { text: 'Echo: stream it' } }] });
  const [llm] = llmSpans(traces[0]);
  expect(llm.tokenUsage).toMatchObject({ input_tokens: 2, output_tokens: 3 });
  expect(llm.attributes[K.TTFT]).toBeGreaterThan(0);
  expect(llm.events).toContainEqual({ name: 'first_token', afterStart: true });
});

test('a tool that throws: its TOOL span is ERROR with the error class, the loop goes on (the SDK hands the error to the model)', () => {
  const { out, traces } = results.toolError!;
  expect(out).toBe(2);
  const tool = traces[0].spans.find((s: any) => s.type === 'TOOL');
  expect(tool.name).toBe('search');
  expect(tool.events.find((e: any) => e.name === 'exception')?.type).toBe('RangeError');
  expect(traces[0].tree.children.find((c: any) => c.name === 'search').status).toBe('ERROR');
  expect(traces[0].tree.status).toBe('OK');
});

test('generateObject / streamObject: the object as the output, one LLM span with usage (time to first token when streamed)', () => {
  expect(results.object!.out).toEqual({ city: 'Paris' });
  expect(results.streamObject!.out).toEqual({ city: 'Paris' });
  for (const [name, { traces }] of [['generateObject', results.object!], ['streamObject', results.streamObject!]] as const) {
    const call = name === 'generateObject' ? 'doGenerate' : 'doStream';
    expect(traces[0].tree).toMatchObject({ name: `ai.${name}`, type: 'CHAIN', outputs: { city: 'Paris' }, children: [{ name: `ai.${name}.${call}`, type: 'LLM', outputs: { text: '{"city":"Paris"}' } }] });
    expect(llmSpans(traces[0])[0].tokenUsage.input_tokens).toBeGreaterThan(0);
  }
  expect(llmSpans(results.streamObject!.traces[0])[0].attributes[K.TTFT]).toBeGreaterThan(0);
});

test('a stream aborted by the caller: its spans end (ERROR, stream_aborted), the trace is written', () => {
  const { out, traces } = results.aborted!;
  expect(out.pieces).toBeGreaterThanOrEqual(1);
  expect(traces).toHaveLength(1);
  expect(traces[0].tree).toMatchObject({ name: 'ai.streamText', status: 'ERROR', children: [{ name: 'ai.streamText.doStream', status: 'ERROR' }] });
  for (const s of traces[0].spans) expect(s.events.map((e: any) => e.name)).toContain('stream_aborted');
});

test('an API error: the same error reaches the caller; LLM and call spans ERROR with the SDK class name', () => {
  const { out, traces } = results.error!;
  expect(out).toEqual({ error: 'AI_APICallError' });
  expect(traces).toHaveLength(1);
  expect(traces[0].tree).toMatchObject({ name: 'ai.generateText', status: 'ERROR', children: [{ name: 'ai.generateText.doGenerate', status: 'ERROR' }] });
  for (const s of traces[0].spans) expect(s.events.find((e: any) => e.name === 'exception')?.type).toBe('AI_APICallError');
});

test('embed: EMBEDDING spans, usage on the model call', () => {
  const { out, traces } = results.embed!;
  expect(out).toBeGreaterThan(0);
  expect(traces[0].tree).toMatchObject({ name: 'ai.embed', type: 'EMBEDDING', inputs: { value: 'hello world' }, children: [{ name: 'ai.embed.doEmbed', type: 'EMBEDDING', inputs: { values: ['hello world'] } }] });
  expect(traces[0].usage).toMatchObject({ input_tokens: 2 });
});

test('@ai-sdk/anthropic: provider anthropic, usage recorded', () => {
  const { out, traces } = results.anthropic!;
  expect(typeof out).toBe('string');
  const [llm] = llmSpans(traces[0]);
  expect(llm.attributes[K.PROVIDER]).toBe('anthropic');
  expect(llm.attributes[K.MODEL]).toBe('claude-test');
  expect(llm.tokenUsage.input_tokens).toBeGreaterThan(0);
  expect(traces[0].hasSecret).toBe(false);
});

test('100 concurrent streamed calls: 100 traces, each call under its own request span', () => {
  const { out, traces } = results.concurrent!;
  expect(out).toBe(100);
  expect(traces).toHaveLength(100);
  for (const t of traces) {
    const i = /request-(\d+)/.exec(t.tree.name)![1];
    expect(t.tree.children).toHaveLength(1);
    expect(t.tree.children[0].inputs.messages[0].content).toBe(`question ${i}`);
    expect(t.tree.children[0].children[0].outputs.text).toBe(`Echo: question ${i}`);
  }
});

test('telemetry: { isEnabled: false } on a call, and autolog({ disable: true }): nothing recorded, the call unchanged', () => {
  expect(results.optedOut).toEqual({ out: 'Echo: quiet', traces: [] });
  expect(results.disabled).toEqual({ out: { text: 'Echo: after disable', left: 1 }, traces: [] });
  expect(internalErrors).toBe(0);
});

test('aiSdkTelemetry() / tracedAiSdk(ai) (the ai 5/6 way) trace on ai 7 without autolog(), and once with it', () => {
  const { traces } = results.perCall!;
  expect(traces.map((t) => t.tree.children[0].inputs.messages[0].content)).toEqual(['per call', 'through tracedAiSdk', 'both']);
  for (const t of traces) expect(t.tree).toMatchObject({ name: 'ai.generateText', children: [{ name: 'ai.generateText.doGenerate' }] });
  for (const t of traces) expect(t.spans).toHaveLength(2);
});
