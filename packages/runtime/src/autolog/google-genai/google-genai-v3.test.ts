/**
 * `@google/genai` 3 (Node >= 22): the real package from the registry (pinned; installed once
 * into platforms/node-family/.runtimes, not a workspace devDependency: the workspace tests 2.x
 * on Node 20) under the registry's Node 22, against the fake Google server on 127.0.0.1. The
 * programme is __tests__/genai3-child.ts.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, test } from 'vitest';
import { bundleInto, ensureNode22, ensurePackages, lastJsonLine, run } from '../../../../../platforms/node-family/harness.js';

const GENAI3 = { '@google/genai': '3.3.0' };

let results: Record<string, { out: any; traces: any[] }>;
let child: { autologResult: { copies: number }; internalErrors: number };

beforeAll(async () => {
  const dir = ensurePackages('google-genai-3', GENAI3);
  const program = await bundleInto(dir, fileURLToPath(new URL('./__tests__/genai3-child.ts', import.meta.url)), ['@google/genai']);
  const r = await run(ensureNode22(), [program], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  child = lastJsonLine(r);
  results = (child as any).results;
}, 240_000);

const only = (trace: any, name: string) => {
  const found = trace.spans.filter((s: any) => s.name === name);
  expect(found, `spans named ${name}`).toHaveLength(1);
  return found[0];
};

test('autolog() patches both copies of the 3.x package', () => {
  expect(child.autologResult.copies).toBe(2);
  expect(child.internalErrors).toBe(0);
});

test('generateContent under a parent: LLM span with format, model, provider, usage incl. thinking + cache', () => {
  const { out, traces } = results.generate!;
  expect(out).toBe('Echo: what is tracing');
  expect(traces).toHaveLength(1);
  const span = only(traces[0], 'generateContent');
  expect(span).toMatchObject({ type: 'LLM', parent: 'request', status: 'OK', inputs: { model: 'gemini-thinking-cached', contents: 'what is tracing' } });
  expect(span.attributes).toMatchObject({ 'mlflow.message.format': 'gemini', 'mlflow.llm.provider': 'google', 'mlflow.llm.model': 'gemini-thinking-cached-001' });
  expect(span.outputs.candidates[0].content.parts[0].text).toBe('Echo: what is tracing');
  const usage = { input_tokens: 3, output_tokens: 9, total_tokens: 12, cache_read_input_tokens: 2 };
  expect(span.tokenUsage).toEqual(usage);
  expect(traces[0].usage).toEqual(usage);
  expect(traces[0].hasSecret).toBe(false);
});

test('function calling: tool definitions in chat-tools form, functionCall in the output', () => {
  const { out, traces } = results.functionCall!;
  expect(out[0]).toMatchObject({ name: 'search_docs', args: { query: 'find docs' } });
  const span = only(traces[0], 'generateContent');
  expect(span.attributes['mlflow.chat.tools']).toEqual([{ type: 'function', function: { name: 'search_docs', description: 'Search the docs', parameters: { type: 'object', properties: { query: { type: 'string' } } } } }]);
  expect(span.outputs.candidates[0].content.parts[1]).toEqual({ functionCall: { name: 'search_docs', args: { query: 'find docs' } } });
});

test('generateContentStream: chunks assembled, usage, time to first token', () => {
  const { out, traces } = results.stream!;
  expect(out).toBe('Echo: stream this please');
  const span = only(traces[0], 'generateContentStream');
  expect(span.outputs.candidates[0].content.parts[0].text).toBe('Echo: stream this please');
  expect(span.tokenUsage).toMatchObject({ input_tokens: 3, output_tokens: 4 });
  expect(span.attributes['mlflow.llm.timeToFirstTokenMs']).toBeGreaterThan(0);
});

test('embedContent: EMBEDDING span with the vectors', () => {
  const { out, traces } = results.embed!;
  expect(out).toBe(2);
  const span = only(traces[0], 'embedContent');
  expect(span).toMatchObject({ type: 'EMBEDDING', inputs: { model: 'text-embedding-004', contents: ['one two', 'three'] } });
  expect(span.outputs.embeddings).toHaveLength(2);
});

test('chats: sendMessage is a CHAT_MODEL span over its LLM request with the history; sendMessageStream through its request', () => {
  const { out, traces } = results.chat!;
  expect(out).toBe('Echo: second turn');
  expect(traces).toHaveLength(1);
  expect(only(traces[0], 'sendMessage')).toMatchObject({ type: 'CHAT_MODEL', inputs: { message: 'second turn' } });
  const llm = only(traces[0], 'generateContent');
  expect(llm.parent).toBe('sendMessage');
  expect(llm.inputs.contents).toHaveLength(3);
  expect(traces[0].usage).toEqual(llm.tokenUsage);
  expect(results.chatStream!.out).toBe('Echo: streamed turn');
  expect(only(results.chatStream!.traces[0], 'generateContentStream').outputs.candidates[0].content.parts[0].text).toBe('Echo: streamed turn');
});

test('an API error: ApiError reaches the caller, the span is ERROR with the class name', () => {
  const { out, traces } = results.error!;
  expect(out).toEqual({ error: 'ApiError', status: 500 });
  expect(only(traces[0], 'generateContent')).toMatchObject({ status: 'ERROR', exception: 'ApiError' });
});

test('50 concurrent streamed calls: 50 traces, no crossed spans', () => {
  const { out, traces } = results.concurrent!;
  expect(out).toBe(50);
  expect(traces).toHaveLength(50);
  for (const t of traces) {
    const root = t.spans.find((s: any) => s.parent === null);
    const i = root.name.replace('request-', '');
    expect(only(t, 'generateContentStream').outputs.candidates[0].content.parts[0].text).toBe(`Echo: about ${i}`);
  }
});

test('tracedGoogleGenAI(client) with autolog off: the same client, only it traced', () => {
  const { out, traces } = results.wrapped!;
  expect(out).toBe(true);
  expect(traces).toHaveLength(1);
  expect(only(traces[0], 'generateContent').inputs.contents).toBe('wrapped');
});
