import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as AnthropicEsm from '@anthropic-ai/sdk';
import { useMemoryDestination } from '../../core/__tests__/memory.js';
import { withSpan } from '../../api/spans.js';
import { traceToJsonText } from '../../model/json.js';
import { SpanType } from '../../model/constants.js';
import { patchedCount } from '../common/patch-registry.js';
import { STREAM_ABORTED_EVENT, TIME_TO_FIRST_TOKEN_KEY } from '../common/llm-call.js';
import { startFakeAnthropicServer } from '../testing/fake-anthropic-server.js';
import type { FakeServer } from '../testing/http.js';
import { K, attr, onlySpan, traceTokenUsage, until } from '../testing/traces.js';
import { autolog, tracedAnthropic } from './index.js';

const require = createRequire(import.meta.url);
const AnthropicCjs = require('@anthropic-ai/sdk') as typeof AnthropicEsm;
const API_KEY = 'sk-ant-test-SECRET-77b1e0';

const memory = useMemoryDestination();
let server: FakeServer;

beforeAll(async () => {
  server = await startFakeAnthropicServer();
});
afterAll(async () => {
  await autolog({ disable: true });
  await server.close();
});

const newClient = (Sdk: typeof AnthropicEsm = AnthropicEsm, opts: Record<string, unknown> = {}) =>
  new Sdk.Anthropic({ apiKey: API_KEY, baseURL: server.url, maxRetries: 0, ...opts });

const tools = [{ name: 'search_docs', description: 'Search the docs', input_schema: { type: 'object' as const, properties: { query: { type: 'string' } } } }];

describe('anthropic autolog', () => {
  beforeAll(async () => {
    const r = await autolog();
    expect(r.copies).toBe(2);
  });

  test('ESM and CJS copies are distinct and both patched (idempotently)', async () => {
    expect(AnthropicCjs.Anthropic.Messages).not.toBe(AnthropicEsm.Anthropic.Messages);
    const count = patchedCount('anthropic');
    expect(count).toBe(4); // Messages + Beta.Messages in 2 copies
    await autolog();
    expect(patchedCount('anthropic')).toBe(count);
    for (const Sdk of [AnthropicEsm, AnthropicCjs]) {
      await newClient(Sdk).messages.create({ model: 'claude-test', max_tokens: 50, messages: [{ role: 'user', content: 'hello' }] });
    }
    expect(memory.traces.map((t) => t.data.spans.map((s) => s.name))).toEqual([['Messages'], ['Messages']]);
  });

  test('messages.create under a parent span: LLM span with model, format, usage (incl. cache tokens)', async () => {
    const client = newClient();
    const params = { model: 'claude-cached', max_tokens: 100, system: 'be brief', messages: [{ role: 'user' as const, content: 'what is tracing' }] };
    const msg = await withSpan(() => client.messages.create(params), { name: 'agent', spanType: SpanType.AGENT });
    expect(msg.content[0]).toEqual({ type: 'text', text: 'Echo: what is tracing' });
    const trace = memory.traces[0]!;
    const span = onlySpan(trace, 'Messages');
    expect(span.parentId).toBe(onlySpan(trace, 'agent').spanId);
    expect(span.spanType).toBe('LLM');
    expect(attr(span, K.PROVIDER)).toBe('anthropic');
    expect(attr(span, K.MESSAGE_FORMAT)).toBe('anthropic');
    expect(attr(span, K.MODEL)).toBe('claude-cached');
    expect(span.inputs).toEqual(params);
    expect(span.tokenUsage).toEqual({ input_tokens: 5, output_tokens: 4, total_tokens: 9, cache_read_input_tokens: 7, cache_creation_input_tokens: 3 });
    expect(traceTokenUsage(trace)).toEqual({ input_tokens: 5, output_tokens: 4, total_tokens: 9, cache_read_input_tokens: 7, cache_creation_input_tokens: 3 });
  });

  test('tool use: tools recorded in chat-tools form, tool_use block in the output', async () => {
    const client = newClient();
    const msg = await client.messages.create({ model: 'claude-test', max_tokens: 100, tools, messages: [{ role: 'user', content: 'find docs' }] });
    expect(msg.stop_reason).toBe('tool_use');
    const span = onlySpan(memory.traces[0]!, 'Messages');
    expect(attr(span, K.CHAT_TOOLS)).toEqual([{ type: 'function', function: { name: 'search_docs', description: 'Search the docs', parameters: tools[0]!.input_schema } }]);
    expect((span.outputs as any).content[1]).toMatchObject({ type: 'tool_use', name: 'search_docs', input: { query: 'find docs' } });
  });

  test('stream: true — span stays open until consumed; message assembled (text + tool_use), usage, time to first token', async () => {
    const client = newClient();
    const stream = await client.messages.create({ model: 'claude-test', max_tokens: 100, tools, stream: true, messages: [{ role: 'user', content: 'stream docs' }] });
    expect(memory.traces).toHaveLength(0);
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types[0]).toBe('message_start');
    await until(() => memory.traces.length === 1, 'trace export');
    const span = onlySpan(memory.traces[0]!, 'Messages');
    const out = span.outputs as any;
    expect(out.role).toBe('assistant');
    expect(out.stop_reason).toBe('tool_use');
    expect(out.content).toEqual([
      { type: 'text', text: 'Let me look that up.' },
      expect.objectContaining({ type: 'tool_use', name: 'search_docs', input: { query: 'stream docs' } }),
    ]);
    expect(span.tokenUsage).toEqual({ input_tokens: 2, output_tokens: 7, total_tokens: 9 });
    expect(attr(span, TIME_TO_FIRST_TOKEN_KEY)).toBeGreaterThan(0);
  });

  test('the messages.stream() helper is one traced call with the final message', async () => {
    const client = newClient();
    const final = await withSpan(async () => client.messages.stream({ model: 'claude-test', max_tokens: 100, messages: [{ role: 'user', content: 'helper' }] }).finalMessage(), { name: 'outer' });
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'Echo: helper' });
    await until(() => memory.traces.length === 1, 'trace export');
    const trace = memory.traces[0]!;
    expect(trace.data.spans.map((s) => s.name)).toEqual(['outer', 'Messages']);
    expect((onlySpan(trace, 'Messages').outputs as any).content[0].text).toBe('Echo: helper');
  });

  test('errors (500, 529, 429) are recorded with status ERROR and rethrown unchanged', async () => {
    const client = newClient();
    const errors = await Promise.all(
      ['fail-500', 'overloaded', 'rate-limited'].map((model) => client.messages.create({ model, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e)),
    );
    expect(errors[0]).toBeInstanceOf(AnthropicEsm.InternalServerError);
    expect(errors[2]).toBeInstanceOf(AnthropicEsm.RateLimitError);
    await until(() => memory.traces.length === 3, 'three traces');
    for (const trace of memory.traces) {
      const span = onlySpan(trace, 'Messages');
      expect(span.status.statusCode).toBe('STATUS_CODE_ERROR');
      expect(span.events.filter((e) => e.name === 'exception')).toHaveLength(1);
    }
    const types = memory.traces.map((t) => onlySpan(t, 'Messages').events[0]!.attributes['exception.type']).sort();
    expect(types).toEqual(['InternalServerError', 'OverloadedError', 'RateLimitError'].sort());
  });

  test('aborting a stream ends the span', async () => {
    const client = newClient();
    const stream = await client.messages.create({ model: 'slow-stream', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'a b c d e f g' }] });
    let deltas = 0;
    for await (const e of stream) if (e.type === 'content_block_delta' && ++deltas === 2) stream.controller.abort();
    await until(() => memory.traces.length === 1, 'trace export');
    const span = onlySpan(memory.traces[0]!, 'Messages');
    expect(span.events.some((e) => e.name === STREAM_ABORTED_EVENT)).toBe(true);
    expect((span.outputs as any).content[0].text).toBe('Echo: a ');
  });

  test('the API key (x-api-key) never reaches the exported trace', async () => {
    const client = newClient();
    await client.messages.create({ model: 'claude-test', max_tokens: 5, messages: [{ role: 'user', content: 'k' }] });
    await client.messages.create({ model: 'fail-500', max_tokens: 5, messages: [{ role: 'user', content: 'k' }] }).catch(() => undefined);
    await until(() => memory.traces.length === 2, 'two traces');
    const sent = server.requests.at(-1)!.headers;
    expect([sent['x-api-key'], sent.authorization]).toContain(sent['x-api-key'] ? API_KEY : `Bearer ${API_KEY}`);
    for (const trace of memory.traces) expect(traceToJsonText(trace)).not.toContain('SECRET');
  });
});

describe('tracedAnthropic(client)', () => {
  test('traces one client (create and the stream() helper) without patching', async () => {
    await autolog({ disable: true });
    expect(patchedCount('anthropic')).toBe(0);
    const client = tracedAnthropic(newClient());
    await client.messages.create({ model: 'claude-test', max_tokens: 5, messages: [{ role: 'user', content: 'one' }] });
    await client.messages.stream({ model: 'claude-test', max_tokens: 5, messages: [{ role: 'user', content: 'two' }] }).finalMessage();
    await newClient().messages.create({ model: 'claude-test', max_tokens: 5, messages: [{ role: 'user', content: 'untraced' }] });
    await until(() => memory.traces.length === 2, 'two traces');
    expect(memory.traces.map((t) => (t.data.spans[0]!.inputs as any).messages[0].content)).toEqual(['one', 'two']);
  });
});
