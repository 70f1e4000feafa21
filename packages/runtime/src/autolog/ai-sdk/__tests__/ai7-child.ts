/**
 * Runs under Node 22 with `ai` 7, `@ai-sdk/openai` 4 and `@ai-sdk/anthropic` 4 (installed by
 * ai-sdk-v7.test.ts, which bundles this file next to them). Zero-config: a plain `autolog()`
 * without `await`, after the SDK was statically imported, and no telemetry setting on any
 * call. Prints one JSON line: each scenario's result and the traces it produced.
 */
import { embed, generateObject, generateText, stepCountIs, streamObject, streamText, tool } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { createAnthropic } from '@ai-sdk/anthropic';
import { z } from 'zod';
import * as ai from 'ai';
import { aiSdkTelemetry, autolog, tracedAiSdk } from '../index.js';
import { setDestination } from '../../../api/control.js';
import { withSpan } from '../../../api/spans.js';
import { getTracingDiagnostics } from '../../../core/diagnostics.js';
import { InMemoryDestination } from '../../../export/in-memory.js';
import { SpanType } from '../../../model/constants.js';
import { traceToJsonText } from '../../../model/json.js';
import type { Span } from '../../../model/span.js';
import type { Trace as TraceEntity } from '../../../model/trace.js';
import { startFakeOpenAIServer } from '../../testing/fake-openai-server.js';
import { startFakeAnthropicServer } from '../../testing/fake-anthropic-server.js';
import { traceTokenUsage } from '../../testing/traces.js';
import { scenarioRunner } from '../../testing/child-scenarios.js';
import { RagApp } from '../../testing/rag-pipeline.js';
import { tree } from '../../../core/__tests__/span-tree.js';

export const SECRET = 'sk-ai7-SECRET-5d1e';

void autolog();
// generateObject/streamObject are deprecated in 7: keep the SDK's deprecation warnings off stderr.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const memory = new InMemoryDestination();
setDestination(memory);
const openaiServer = await startFakeOpenAIServer({ reply: (q, body) => (JSON.stringify(body).includes('json_schema') ? '{"city":"Paris"}' : `Echo: ${q}`) });
const anthropicServer = await startFakeAnthropicServer();
const openai = createOpenAI({ baseURL: openaiServer.baseURL, apiKey: SECRET });
const anthropic = createAnthropic({ baseURL: `${anthropicServer.url}/v1`, apiKey: SECRET });

const spanView = (s: Span) => ({
  name: s.name,
  type: s.spanType,
  attributes: s.attributes,
  tokenUsage: s.tokenUsage,
  events: s.events.map((e) => ({ name: e.name, type: e.attributes['exception.type'], afterStart: e.timestamp >= s.startTimeUnixNano })),
});
const view = (t: TraceEntity) => ({ tree: tree(t), spans: t.data.spans.map(spanView), usage: traceTokenUsage(t), hasSecret: traceToJsonText(t).includes(SECRET) });

const scenario = scenarioRunner(memory, view, (error) => ({ error: (error as Error).name }));

// ai 7's per-call setting (typed against the workspace's ai 6, which names it experimental_telemetry).
const optOut = { telemetry: { isEnabled: false } } as object;

const search = tool({
  description: 'Search the docs',
  inputSchema: z.object({ query: z.string() }),
  execute: async ({ query }) => withSpan(async () => `docs about ${query}`, { name: 'lookup', spanType: SpanType.RETRIEVER }),
});

const results = {
  combining: await scenario(() =>
    new RagApp(async (context, question) => (await generateText({ model: openai.chat('gpt-rag'), system: context, prompt: question })).text).ragQuery('spans'),
  ),
  generate: await scenario(() =>
    withSpan(async () => (await generateText({ model: openai.chat('gpt-test'), prompt: 'what is tracing' })).text, { name: 'request', spanType: SpanType.CHAIN }),
  ),
  toolLoop: await scenario(async () => {
    const r = await generateText({ model: openai.chat('gpt-test'), prompt: 'find spans', tools: { search }, stopWhen: stepCountIs(3) });
    return { steps: r.steps.length, inputTokens: r.totalUsage.inputTokens, text: r.text };
  }),
  stream: await scenario(async () => {
    const r = streamText({ model: openai.chat('gpt-test'), prompt: 'stream it' });
    let text = '';
    for await (const piece of r.textStream) text += piece;
    return text;
  }),
  toolError: await scenario(async () => {
    const failing = tool({ inputSchema: z.object({ query: z.string() }), execute: async (): Promise<string> => {
        throw new RangeError('index offline');
      },
    });
    const r = await generateText({ model: openai.chat('gpt-test'), prompt: 'find spans', tools: { search: failing }, stopWhen: stepCountIs(2) });
    return r.steps.length;
  }),
  object: await scenario(async () => (await generateObject({ model: openai.chat('gpt-test'), schema: z.object({ city: z.string() }), prompt: 'capital of France' })).object),
  streamObject: await scenario(async () => {
    const r = streamObject({ model: openai.chat('gpt-test'), schema: z.object({ city: z.string() }), prompt: 'capital of France' });
    for await (const _ of r.partialObjectStream) void _;
    return await r.object;
  }),
  aborted: await scenario(async () => {
    const controller = new AbortController();
    const r = streamText({ model: openai.chat('slow-stream'), prompt: 'one two three four five six', abortSignal: controller.signal });
    let pieces = 0;
    try {
      for await (const _ of r.textStream) if (++pieces === 1) controller.abort();
    } catch (error) {
      return { pieces, thrown: (error as Error).name };
    }
    return { pieces };
  }),
  error: await scenario(() => generateText({ model: openai.chat('fail-500'), prompt: 'x', maxRetries: 0 })),
  embed: await scenario(async () => (await embed({ model: openai.embedding('text-embedding-test'), value: 'hello world' })).embedding.length),
  anthropic: await scenario(async () => (await generateText({ model: anthropic('claude-test'), prompt: 'hi claude' })).text),
  concurrent: await scenario(async () => {
    const one = (i: number) =>
      withSpan(
        async () => {
          const r = streamText({ model: openai.chat('gpt-test'), prompt: `question ${i}` });
          let text = '';
          for await (const piece of r.textStream) text += piece;
          return text;
        },
        { name: `request-${i}` },
      );
    return (await Promise.all(Array.from({ length: 100 }, (_, i) => one(i)))).filter((t, i) => t === `Echo: question ${i}`).length;
  }),
  optedOut: await scenario(async () => (await generateText({ model: openai.chat('gpt-test'), prompt: 'quiet', ...optOut })).text),
  disabled: await scenario(async () => {
    await autolog({ disable: true });
    const text = (await generateText({ model: openai.chat('gpt-test'), prompt: 'after disable' })).text;
    await autolog();
    return { text, left: (globalThis as { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] }).AI_SDK_TELEMETRY_INTEGRATIONS?.length };
  }),
  // Without autolog(): the per-call settings of ai 5/6 work on 7 too; with it as well, still one trace per call.
  perCall: await scenario(async () => {
    await autolog({ disable: true });
    await generateText({ model: openai.chat('gpt-test'), prompt: 'per call', experimental_telemetry: aiSdkTelemetry() });
    await tracedAiSdk(ai).generateText({ model: openai.chat('gpt-test'), prompt: 'through tracedAiSdk' });
    await generateText({ model: openai.chat('gpt-test'), prompt: 'untraced' });
    await autolog();
    await generateText({ model: openai.chat('gpt-test'), prompt: 'both', experimental_telemetry: aiSdkTelemetry() });
    return 'done';
  }),
};

openaiServer.close();
anthropicServer.close();
console.log(JSON.stringify({ results, internalErrors: getTracingDiagnostics().totalErrors }));
