/**
 * `@mlflow/openai` / `@mlflow/anthropic` drop-in (spec C.3, C.4): `tracedOpenAI(client)` and
 * `tracedAnthropic(client)` take the client alone and record the span names, types, inputs,
 * outputs, `mlflow.chat.tokenUsage` and `mlflow.message.format` MLflow's wrappers record.
 * Real SDKs against fake servers on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { tracedOpenAI } from '../autolog/openai/index.js';
import { tracedAnthropic } from '../autolog/anthropic/index.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../autolog/testing/fake-openai-server.js';
import { startFakeAnthropicServer } from '../autolog/testing/fake-anthropic-server.js';
import { until } from '../autolog/testing/traces.js';
import { useMemoryDestination } from '../core/__tests__/memory.js';
import { SpanAttributeKey, SpanType } from '../index.js';

const memory = useMemoryDestination();
let openaiServer: FakeOpenAIServer;
let anthropicServer: Awaited<ReturnType<typeof startFakeAnthropicServer>>;

beforeAll(async () => {
  openaiServer = await startFakeOpenAIServer();
  anthropicServer = await startFakeAnthropicServer();
});
afterAll(async () => {
  await openaiServer.close();
  await anthropicServer.close();
});

describe('tracedOpenAI(client)', () => {
  test('chat.completions.create: span "Completions", LLM, request in, response out, token usage, format "openai"', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: openaiServer.baseURL, maxRetries: 0 });
    const traced = tracedOpenAI(client);
    // intentional difference: one stable proxy (MLflow's wrapper makes a fresh Proxy per property
    // read) whose calls keep the SDK's APIPromise (MLflow's return a plain Promise).
    expect(traced.chat.completions).toBe(traced.chat.completions);
    const request = { model: 'gpt-test', messages: [{ role: 'user' as const, content: 'hi there' }] };
    const pending = traced.chat.completions.create(request);
    expect(typeof pending.withResponse).toBe('function');
    const response = await pending;
    await until(() => memory.traces.length === 1, 'trace');
    const span = memory.traces[0]!.data.spans[0]!;
    expect([span.name, span.spanType]).toEqual(['Completions', SpanType.LLM]);
    expect(span.inputs).toEqual(request);
    expect(span.outputs).toEqual(JSON.parse(JSON.stringify(response)));
    const usage = response.usage!;
    expect(span.attributes[SpanAttributeKey.TOKEN_USAGE]).toMatchObject({ input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens, total_tokens: usage.total_tokens });
    expect(span.attributes[SpanAttributeKey.MESSAGE_FORMAT]).toBe('openai');
  });
});

describe('tracedAnthropic(client)', () => {
  test('messages.create: span "Messages", LLM, token usage with total, format "anthropic"', async () => {
    const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: anthropicServer.url, maxRetries: 0 });
    const traced = tracedAnthropic(client);
    expect(traced.messages).toBe(traced.messages);
    const request = { model: 'claude-test', max_tokens: 5, messages: [{ role: 'user' as const, content: 'one' }] };
    const message = await traced.messages.create(request);
    await until(() => memory.traces.length === 1, 'trace');
    const span = memory.traces[0]!.data.spans[0]!;
    expect([span.name, span.spanType]).toEqual(['Messages', SpanType.LLM]);
    expect(span.inputs).toEqual(request);
    expect(span.outputs).toEqual(JSON.parse(JSON.stringify(message)));
    const { input_tokens, output_tokens } = message.usage;
    expect(span.attributes[SpanAttributeKey.TOKEN_USAGE]).toMatchObject({ input_tokens, output_tokens, total_tokens: input_tokens + output_tokens });
    expect(span.attributes[SpanAttributeKey.MESSAGE_FORMAT]).toBe('anthropic');
  });
});
