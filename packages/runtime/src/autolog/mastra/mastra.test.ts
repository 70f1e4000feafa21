import { describe, expect, test } from 'vitest';
import { Mastra } from '@mastra/core/mastra';
import { Agent } from '@mastra/core/agent';
import { createTool } from '@mastra/core/tools';
import { createStep, createWorkflow } from '@mastra/core/workflows';
import { z } from 'zod';
import { tree, useMemoryDestination } from '../../core/__tests__/memory.js';
import { traceToJsonText } from '../../model/json.js';
import { patchedCount } from '../common/patch-registry.js';
import { startFakeOpenAIServer } from '../testing/fake-openai-server.js';
import { useFakeServer } from '../testing/fake-server-hooks.js';
import { runCombining, underRequestSpan } from '../testing/scenarios.js';
import { withSpan } from '../../api/spans.js';
import { K, attr, onlySpan, spansOfType, traceTokenUsage, until } from '../testing/traces.js';
import { autolog as openaiAutolog } from '../openai/index.js';
import { autolog, mastraExporter } from './index.js';
import { helperRunWithTool } from './__tests__/expected-trees.js';

const API_KEY = 'sk-mastra-test-SECRET-77aa88bb';

const memory = useMemoryDestination();
const fake = useFakeServer(startFakeOpenAIServer, autolog);

const searchDocs = createTool({
  id: 'search_docs',
  description: 'Search the docs',
  inputSchema: z.object({ query: z.string() }),
  execute: async ({ context }) => `docs about ${context.query}`,
});

function newAgent(opts: { tools?: boolean; model?: string } = {}): Agent {
  return new Agent({
    name: 'helper',
    instructions: 'be brief',
    model: { id: `openai/${opts.model ?? 'gpt-4o-mini'}`, url: fake.server.baseURL, apiKey: API_KEY },
    ...(opts.tools ? { tools: { searchDocs } } : {}),
  });
}

const double = createStep({ id: 'double', inputSchema: z.object({ n: z.number() }), outputSchema: z.object({ n: z.number() }), execute: async ({ inputData }) => ({ n: inputData.n * 2 }) });
const addOne = createStep({ id: 'add-one', inputSchema: z.object({ n: z.number() }), outputSchema: z.object({ n: z.number() }), execute: async ({ inputData }) => ({ n: inputData.n + 1 }) });
const newWorkflow = () => createWorkflow({ id: 'math', inputSchema: z.object({ n: z.number() }), outputSchema: z.object({ n: z.number() }) }).then(double).then(addOne).commit();

let apps = 0;
/** A Mastra app whose observability config sends to `exporter` (ours, or any other for autolog). Config names are process-wide: one each. */
function newMastra(exporter: unknown, opts: { tools?: boolean; model?: string } = {}) {
  return new Mastra({
    agents: { helper: newAgent(opts) },
    workflows: { math: newWorkflow() },
    observability: { configs: { [`app-${++apps}`]: { serviceName: 'test', exporters: [exporter as never] } } },
    logger: false,
  });
}

const firstTrace = async () => {
  await until(() => memory.traces.length > 0, 'trace export');
  return memory.traces[0]!;
};

describe('mastraExporter()', () => {
  test('agent.generate under a parent: AGENT → CHAT_MODEL → LLM steps (tool call, answer) → TOOL; usage counted once', async () => {
    const agent = newMastra(mastraExporter(), { tools: true }).getAgent('helper');
    const res = await underRequestSpan(() => agent.generate('find tracing docs'));
    expect(res.text).toBe('Echo: find tracing docs');
    const trace = await firstTrace();
    expect(tree(trace)).toMatchObject({ name: 'request', children: [helperRunWithTool('find tracing docs')] });
    const generation = onlySpan(trace, "llm: 'gpt-4o-mini'");
    expect(attr(generation, K.MODEL)).toBe('gpt-4o-mini');
    expect(attr(generation, K.PROVIDER)).toBe('openai');
    expect(attr(onlySpan(trace, 'step: 0'), K.MODEL)).toBe('gpt-4o-mini');
    expect(generation.tokenUsage).toEqual({ input_tokens: res.usage.inputTokens, output_tokens: res.usage.outputTokens, total_tokens: res.usage.totalTokens });
    const steps = spansOfType(trace, 'LLM');
    expect(steps.reduce((n, s) => n + (s.tokenUsage as any).total_tokens, 0)).toBe(res.usage.totalTokens);
    expect(traceTokenUsage(trace)).toEqual(generation.tokenUsage);
    expect(traceToJsonText(trace)).not.toContain('SECRET');
  });

  test('agent.stream: the spans end when the stream is consumed', async () => {
    const agent = newMastra(mastraExporter()).getAgent('helper');
    const stream = await agent.stream('stream these words');
    let text = '';
    for await (const piece of stream.textStream) text += piece;
    expect(text).toBe('Echo: stream these words');
    const trace = await firstTrace();
    expect(tree(trace)).toMatchObject({ type: 'AGENT', status: 'OK', children: [{ type: 'CHAT_MODEL', children: [{ type: 'LLM', outputs: { text } }] }] });
  });

  test('workflow: a CHAIN workflow run with its steps', async () => {
    const workflow = newMastra(mastraExporter()).getWorkflow('math');
    const run = await workflow.createRunAsync();
    const result = await run.start({ inputData: { n: 3 } });
    expect(result.status).toBe('success');
    const t = tree(await firstTrace());
    expect(t).toMatchObject({ type: 'CHAIN', inputs: { n: 3 } });
    const names = JSON.stringify(t);
    expect(names).toContain("workflow step: 'double'");
    expect(names).toContain("workflow step: 'add-one'");
  });

  test('the combining test: @Trace(CHAIN) → @Trace(RETRIEVER) → Mastra agent, one trace with usage', async () => {
    const agent = newMastra(mastraExporter()).getAgent('helper');
    const { trace } = await runCombining(memory, async (context, question) => (await agent.generate(`${context}\n${question}`)).text);
    expect(spansOfType(trace, 'AGENT')[0]!.parentId).toBe(onlySpan(trace, 'ragQuery').spanId);
    expect(traceTokenUsage(trace)).toEqual(onlySpan(trace, "llm: 'gpt-4o-mini'").tokenUsage);
  });

  test('50 concurrent streamed agent runs → 50 traces, each run under its own caller', async () => {
    const agent = newMastra(mastraExporter()).getAgent('helper');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        withSpan(
          async () => {
            let text = '';
            for await (const piece of (await agent.stream(`about q${i}`)).textStream) text += piece;
            return text;
          },
          { name: `req-${i}` },
        ),
      ),
    );
    answers.forEach((a, i) => expect(a).toBe(`Echo: about q${i}`));
    await until(() => memory.traces.length === 50, '50 traces');
    // What this integration decides is where each Mastra run goes: exactly one run under each
    // caller, the one it started (Mastra's own span data is recorded as Mastra reports it).
    for (const trace of memory.traces) {
      const t = tree(trace);
      const i = t.name.slice('req-'.length);
      expect(t.children.map((c) => [c.type, c.inputs])).toEqual([['AGENT', `about q${i}`]]);
      expect(t.children[0]!.outputs).toMatchObject({ text: `Echo: about q${i}` });
    }
  });

  test('with the OpenAI integration on: Mastra calls models by fetch, so nothing is added and tokens count once', async () => {
    await openaiAutolog();
    try {
      await newMastra(mastraExporter()).getAgent('helper').generate('both on');
    } finally {
      await openaiAutolog({ disable: true });
    }
    const trace = await firstTrace();
    expect(trace.data.spans.map((s) => s.spanType)).toEqual(['AGENT', 'CHAT_MODEL', 'LLM']);
    expect(traceTokenUsage(trace)).toEqual(onlySpan(trace, "llm: 'gpt-4o-mini'").tokenUsage);
  });
});

describe('mastra autolog()', () => {
  const events: unknown[] = [];
  const other = { name: 'other', exportEvent: async (e: unknown) => void events.push(e), shutdown: async () => undefined };

  test('records the spans of a Mastra with any observability config; its own exporter still gets every event; idempotent', async () => {
    await autolog();
    const count = patchedCount('mastra');
    expect(count).toBeGreaterThan(0);
    await autolog();
    expect(patchedCount('mastra')).toBe(count);
    await newMastra(other).getAgent('helper').generate('autologged');
    const trace = await firstTrace();
    expect(trace.data.spans.map((s) => s.spanType)).toEqual(['AGENT', 'CHAT_MODEL', 'LLM']);
    expect(events.length).toBeGreaterThanOrEqual(6);
  });

  test('a failing agent call: Mastra leaves its run open and reports no error; autolog ends those spans with the error the program got (its class name), the key masked', async () => {
    const agent = newMastra(other, { model: 'reject-key' }).getAgent('helper');
    const error = await agent.generate('x').catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    const trace = await firstTrace();
    expect(trace.info.state).toBe('ERROR');
    // Mastra itself ended the generation and its step (status OK, no output); the run it left open ends with the error.
    const run = spansOfType(trace, 'AGENT')[0]!;
    expect(run.status.statusCode).toBe('STATUS_CODE_ERROR');
    expect(run.events.find((e) => e.name === 'exception')!.attributes['exception.type']).toBe(error.name);
    expect(traceToJsonText(trace)).not.toContain('SECRET');
    expect(error.name).toBe('AI_APICallError');
  });

  test('autolog({ disable: true }) restores Mastra: nothing patched, untraced', async () => {
    await autolog({ disable: true });
    expect(patchedCount('mastra')).toBe(0);
    events.length = 0;
    const res = await newMastra(other).getAgent('helper').generate('untraced');
    expect(res.text).toBe('Echo: untraced');
    expect(events.length).toBeGreaterThan(0);
    expect(memory.traces).toHaveLength(0);
  });
});
