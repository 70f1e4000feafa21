/**
 * The real `@openai/agents` against the fake OpenAI Responses server on 127.0.0.1, recorded
 * through tracewright's tracing processor.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Agent, OpenAIProvider, Runner, addTraceProcessor, setTracingDisabled, tool, getGlobalTraceProvider } from '@openai/agents';
import { z } from 'zod';
import { importCompiled } from '../../core/__tests__/compile.js';
import { tree, useMemoryDestination } from '../../core/__tests__/memory.js';
import { withSpan } from '../../api/spans.js';
import { SpanType } from '../../model/constants.js';
import { traceToJsonText } from '../../model/json.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../testing/fake-openai-server.js';
import { K, attr, spansOfType, traceTokenUsage, until } from '../testing/traces.js';
import { ragAppSource } from '../testing/rag-app.js';
import { autolog } from './index.js';

const API_KEY = 'sk-agents-SECRET-5be0c1aa';
const memory = useMemoryDestination();
let server: FakeOpenAIServer;
let runner: Runner;

beforeAll(async () => {
  server = await startFakeOpenAIServer();
  // The SDK switches its tracing off under NODE_ENV=test.
  setTracingDisabled(false);
  autolog({ exclusive: true }); // no await: the processor is registered synchronously
  runner = new Runner({ modelProvider: new OpenAIProvider({ apiKey: API_KEY, baseURL: server.baseURL }) });
});
afterAll(async () => {
  await autolog({ disable: true });
  await server.close();
});

const lookup = tool({
  name: 'lookup',
  description: 'Look up the docs',
  parameters: z.object({ query: z.string() }),
  execute: async ({ query }) => `docs about ${query}`,
});

const assistant = () => new Agent({ name: 'Assistant', instructions: 'be brief', model: 'gpt-test', tools: [lookup] });
const root = (trace: { data: { spans: Array<{ parentId: string | null; name: string }> } }) => trace.data.spans.find((s) => s.parentId === null)!;

describe('agent runs', () => {
  test('a run with a function tool: AGENT → turns → LLM (usage, model, tools) and TOOL spans, under the caller; usage counted once', async () => {
    const result = await withSpan(() => runner.run(assistant(), 'what is tracing'), { name: 'request', spanType: SpanType.CHAIN });
    expect(result.finalOutput).toBe('Echo: what is tracing');
    await until(() => memory.traces.length === 1, 'trace export');
    const trace = memory.traces[0]!;
    expect(tree(trace)).toMatchObject({
      name: 'request',
      children: [
        {
          name: 'Agent workflow',
          type: 'CHAIN',
          children: [
            {
              name: 'Agent workflow',
              children: [
                {
                  name: 'Assistant',
                  type: 'AGENT',
                  children: [
                    { name: 'Turn 1', children: [{ name: 'Response', type: 'LLM' }, { name: 'lookup', type: 'TOOL', inputs: { query: 'what is tracing' }, outputs: 'docs about what is tracing' }] },
                    { name: 'Turn 2', children: [{ name: 'Response', type: 'LLM' }] },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const llms = spansOfType(trace, 'LLM');
    expect(llms.map((s) => s.tokenUsage)).toEqual([
      { input_tokens: 5, output_tokens: 3, total_tokens: 8 },
      { input_tokens: 5, output_tokens: 4, total_tokens: 9 },
    ]);
    expect(traceTokenUsage(trace)).toEqual({ input_tokens: 10, output_tokens: 7, total_tokens: 17 });
    expect(attr(llms[0]!, K.MODEL)).toBe('gpt-test');
    expect(attr(llms[0]!, K.PROVIDER)).toBe('openai');
    expect(attr(llms[0]!, K.CHAT_TOOLS)).toEqual([expect.objectContaining({ type: 'function', function: expect.objectContaining({ name: 'lookup' }) })]);
    expect((llms[1]!.outputs as any).output[0].content[0].text).toBe('Echo: what is tracing');
    expect(traceToJsonText(trace)).not.toContain('SECRET');
  });

  test('the Chat Completions model: generation spans (LLM) with model, messages and usage', async () => {
    const chatRunner = new Runner({ modelProvider: new OpenAIProvider({ apiKey: API_KEY, baseURL: server.baseURL, useResponses: false }) });
    const result = await chatRunner.run(new Agent({ name: 'Chatty', instructions: 'be brief', model: 'gpt-chat' }), 'hello there');
    expect(result.finalOutput).toBe('Echo: hello there');
    await until(() => memory.traces.length === 1, 'trace export');
    const [llm] = spansOfType(memory.traces[0]!, 'LLM');
    expect(llm!.name).toBe('Generation');
    expect(attr(llm!, K.MODEL)).toBe('gpt-chat');
    expect(llm!.inputs).toEqual([{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hello there' }]);
    // system "be brief" (2) + user "hello there" (2); reply 3 words
    expect(llm!.tokenUsage).toEqual({ input_tokens: 4, output_tokens: 3, total_tokens: 7 });
    expect(traceTokenUsage(memory.traces[0]!)).toEqual({ input_tokens: 4, output_tokens: 3, total_tokens: 7 });
    expect(traceToJsonText(memory.traces[0]!)).not.toContain('SECRET');
  });

  test('a handoff: a Handoff span from the triage agent to the specialist, whose AGENT span answers', async () => {
    const billing = new Agent({ name: 'Billing', instructions: 'answer billing questions', model: 'gpt-test' });
    const triage = new Agent({ name: 'Triage', instructions: 'route', model: 'gpt-test', handoffs: [billing] });
    const result = await runner.run(triage, 'refund please');
    expect(result.finalOutput).toBe('Echo: refund please');
    await until(() => memory.traces.length === 1, 'trace export');
    const trace = memory.traces[0]!;
    const handoff = trace.data.spans.find((s) => s.name === 'Handoff')!;
    expect(handoff.inputs).toEqual({ from_agent: 'Triage' });
    expect(handoff.outputs).toEqual({ to_agent: 'Billing' });
    expect(spansOfType(trace, 'AGENT').map((s) => s.name)).toEqual(['Triage', 'Billing']);
    expect(root(trace).name).toBe('Agent workflow');
  });

  test('a failing model call: the run rejects with the SDK error; the spans are ERROR and the trace is exported', async () => {
    const error = await runner.run(new Agent({ name: 'Broken', model: 'fail-500' }), 'x').catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    await until(() => memory.traces.length === 1, 'trace export');
    const trace = memory.traces[0]!;
    expect(tree(trace)).toMatchObject({ name: 'Agent workflow', status: 'ERROR', children: [{ status: 'ERROR', children: [{ name: 'Broken', type: 'AGENT', status: 'ERROR' }] }] });
    const llm = spansOfType(trace, 'LLM')[0]!;
    expect(llm.status.statusCode).toBe('STATUS_CODE_ERROR');
    expect(llm.status.description).toContain('500');
    const agentError = spansOfType(trace, 'AGENT')[0]!.events.find((e) => e.name === 'exception')!;
    // The SDK passes String(error) = "Error: 500 ..." (openai's errors keep the name "Error").
    expect(agentError.attributes['exception.type']).toBe('AgentsSpanError');
    expect(error.constructor.name).toBe('InternalServerError');
  });

  test('100 concurrent streamed runs: 100 traces, each with its own spans', async () => {
    const outs = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        withSpan(
          async () => {
            const stream = await runner.run(new Agent({ name: `A${i}`, model: 'gpt-test' }), `question ${i}`, { stream: true });
            let text = '';
            for await (const t of stream.toTextStream()) text += t;
            await stream.completed;
            return text;
          },
          { name: `request-${i}` },
        ),
      ),
    );
    expect(outs).toEqual(Array.from({ length: 100 }, (_, i) => `Echo: question ${i}`));
    await until(() => memory.traces.length === 100, '100 traces');
    for (const trace of memory.traces) {
      const i = root(trace).name.replace('request-', '');
      expect(spansOfType(trace, 'AGENT').map((s) => s.name)).toEqual([`A${i}`]);
      const [llm] = spansOfType(trace, 'LLM');
      expect((llm!.outputs as any).output[0].content[0].text).toBe(`Echo: question ${i}`);
    }
  });

  test('not exclusive: a processor of the user keeps receiving the SDK spans beside ours', async () => {
    await autolog();
    const seen: string[] = [];
    const theirs = {
      onTraceStart: async () => {},
      onTraceEnd: async () => {},
      onSpanStart: async () => {},
      onSpanEnd: async (span: { spanData: { type: string } }) => void seen.push(span.spanData.type),
      shutdown: async () => {},
      forceFlush: async () => {},
    };
    try {
      addTraceProcessor(theirs);
      await runner.run(new Agent({ name: 'Shared', model: 'gpt-test' }), 'both');
      await until(() => memory.traces.length === 1, 'trace export');
      expect(seen).toEqual(expect.arrayContaining(['agent', 'response']));
      expect(spansOfType(memory.traces[0]!, 'AGENT').map((s) => s.name)).toEqual(['Shared']);
    } finally {
      await autolog({ exclusive: true }); // back to ours alone for the other tests
    }
  });

  test('autolog({ disable: true }) stops recording; autolog() again resumes, without a second registration', async () => {
    await autolog({ disable: true });
    await runner.run(assistant(), 'quiet');
    expect(memory.traces).toHaveLength(0);
    await autolog();
    await autolog();
    await runner.run(new Agent({ name: 'Solo', model: 'gpt-test' }), 'loud');
    await until(() => memory.traces.length === 1, 'trace export');
    expect(spansOfType(memory.traces[0]!, 'AGENT')).toHaveLength(1);
    expect(spansOfType(memory.traces[0]!, 'LLM')).toHaveLength(1);
  });
});

const APP = ragAppSource(
  `import { Agent } from '@openai/agents';`,
  `const res = await this.llm.run(new Agent({ name: 'Rag', model: 'gpt-rag', instructions: context }), question);
    return res.finalOutput;`,
);

test('combining: @Trace(CHAIN) → @Trace(RETRIEVER) → an agent run: one trace, usage on the LLM span and the trace', async () => {
  const { RagApp } = await importCompiled(APP);
  const answer = await new RagApp(runner).ragQuery('spans');
  expect(answer).toBe('Echo: spans');
  await until(() => memory.traces.length === 1, 'trace export');
  const trace = memory.traces[0]!;
  expect(tree(trace)).toMatchObject({ name: 'ragQuery', type: 'CHAIN', children: [{ name: 'search', type: 'RETRIEVER' }, { name: 'Agent workflow' }] });
  const [llm] = spansOfType(trace, 'LLM');
  // instructions "Context: MLflow Tracing records spans for spans" (7) + input "spans" (1); reply 2 words
  expect(llm!.tokenUsage).toEqual({ input_tokens: 8, output_tokens: 2, total_tokens: 10 });
  expect(traceTokenUsage(trace)).toEqual({ input_tokens: 8, output_tokens: 2, total_tokens: 10 });
  expect(getGlobalTraceProvider()).toBeDefined();
});
