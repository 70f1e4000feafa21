import { beforeAll, describe, expect, test } from 'vitest';
import { OpenAI as OpenAIClient } from 'openai';
import { BaseRetriever } from '@llamaindex/core/retriever';
import { RetrieverQueryEngine } from '@llamaindex/core/query-engine';
import { SimpleChatEngine, ContextChatEngine } from '@llamaindex/core/chat-engine';
import { TextNode, type NodeWithScore, type QueryBundle } from '@llamaindex/core/schema';
import { Settings } from '@llamaindex/core/global';
import { tool } from '@llamaindex/core/tools';
import { OpenAI } from '@llamaindex/openai';
import { agent } from '@llamaindex/workflow';
import { useMemoryDestination, tree } from '../../core/__tests__/memory.js';
import { traceToJsonText } from '../../model/json.js';
import { patchedCount } from '../common/patch-registry.js';
import { TIME_TO_FIRST_TOKEN_KEY } from '../common/llm-call.js';
import { startFakeOpenAIServer } from '../testing/fake-openai-server.js';
import { useFakeServer } from '../testing/fake-server-hooks.js';
import { runCombining, runConcurrentStreams, underRequestSpan } from '../testing/scenarios.js';
import { K, attr, onlySpan, spansOfType, traceTokenUsage, until } from '../testing/traces.js';
import { autolog as openaiAutolog, tracedOpenAI } from '../openai/index.js';
import { autolog, LLAMAINDEX_INTEGRATIONS } from './index.js';

const API_KEY = 'sk-llama-test-SECRET-1a2b3c4d';

const memory = useMemoryDestination();
const fake = useFakeServer(startFakeOpenAIServer, autolog);

function newLLM(model = 'gpt-4o-mini'): OpenAI {
  return new OpenAI({ model, apiKey: API_KEY, baseURL: fake.server.baseURL, maxRetries: 0 });
}

/** The application's own retriever: LlamaIndex's BaseRetriever over a fixed corpus. */
class DocsRetriever extends BaseRetriever {
  async _retrieve(params: QueryBundle): Promise<NodeWithScore[]> {
    const q = typeof params.query === 'string' ? params.query : '';
    return [
      { node: new TextNode({ id_: 'doc-1', text: `tracing records spans for ${q}`, metadata: { source: 'tracing.md' } }), score: 0.9 },
      { node: new TextNode({ id_: 'doc-2', text: 'spans nest', metadata: { source: 'spans.md' } }), score: 0.5 },
    ];
  }
}

const patched = () => LLAMAINDEX_INTEGRATIONS.reduce((n, name) => n + patchedCount(name), 0);
const firstTrace = async () => {
  await until(() => memory.traces.length > 0, 'trace export');
  return memory.traces[0]!;
};

describe('llamaindex autolog', () => {
  const errors: unknown[][] = [];
  beforeAll(async () => {
    // The program already imported the ES module copies; autolog also loads the CommonJS ones.
    const consoleError = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      await autolog();
    } finally {
      console.error = consoleError;
    }
    // LlamaIndex binds an LLM's chat to the instance when it is constructed: made after autolog().
    Settings.llm = newLLM();
  });

  test('loading the other module format does not trip LlamaIndex\'s duplicate-copy warning', () => {
    expect(errors).toEqual([]);
    expect((globalThis as Record<string, unknown>)['__ $@llamaindex/env$ __']).toBe(true);
  });

  test('idempotent: every module patched once per copy', async () => {
    const count = patched();
    expect(count).toBeGreaterThanOrEqual(9); // retrieve, query, synthesize, 2 chat engines, agent runner, run, callTool, LLM chat
    await autolog();
    expect(patched()).toBe(count);
  });

  test('retriever: RETRIEVER span with the nodes as documents (text, metadata with score, id)', async () => {
    const nodes = await underRequestSpan(() => new DocsRetriever().retrieve({ query: 'autolog' }));
    expect(nodes).toHaveLength(2);
    const trace = await firstTrace();
    const span = onlySpan(trace, 'DocsRetriever.retrieve');
    expect(span.spanType).toBe('RETRIEVER');
    expect(span.parentId).toBe(onlySpan(trace, 'request').spanId);
    expect(span.inputs).toEqual({ query: 'autolog' });
    expect(span.outputs).toEqual([
      { page_content: 'tracing records spans for autolog', metadata: { source: 'tracing.md', score: 0.9 }, id: 'doc-1' },
      { page_content: 'spans nest', metadata: { source: 'spans.md', score: 0.5 }, id: 'doc-2' },
    ]);
  });

  test('query engine: CHAIN query → RETRIEVER + synthesize → LLM, answer with source documents, usage on the trace', async () => {
    const engine = new RetrieverQueryEngine(new DocsRetriever());
    const response = await engine.query({ query: 'what is tracing' });
    expect(response.message.content).toContain('what is tracing');
    const trace = await firstTrace();
    expect(tree(trace)).toMatchObject({
      name: 'RetrieverQueryEngine.query',
      type: 'CHAIN',
      inputs: { query: 'what is tracing' },
      children: [
        { name: 'DocsRetriever.retrieve', type: 'RETRIEVER' },
        { name: 'CompactAndRefine.synthesize', type: 'CHAIN', children: [{ name: 'OpenAI.chat', type: 'LLM' }] },
      ],
    });
    const query = onlySpan(trace, 'RetrieverQueryEngine.query');
    expect((query.outputs as any).response).toBe(response.message.content);
    expect((query.outputs as any).source_nodes.map((d: any) => d.id)).toEqual(['doc-1', 'doc-2']);
    const llm = onlySpan(trace, 'OpenAI.chat');
    expect(attr(llm, K.PROVIDER)).toBe('openai');
    expect(attr(llm, K.MODEL)).toBe('gpt-4o-mini');
    expect(attr(llm, K.MESSAGE_FORMAT)).toBe('llamaindex');
    expect((llm.inputs as any).messages.at(-1).content).toContain('what is tracing');
    const billed = fake.server.requests.at(-1)!.body.messages.map((m: any) => m.content).join(' ').split(/\s+/).filter(Boolean).length;
    expect((llm.tokenUsage as any).input_tokens).toBe(billed);
    expect(traceTokenUsage(trace)).toEqual(llm.tokenUsage);
  });

  test('chat engines: SimpleChatEngine and ContextChatEngine (retriever inside) as CHAIN over the LLM span', async () => {
    await new SimpleChatEngine({ llm: newLLM() }).chat({ message: 'hello there' });
    await new ContextChatEngine({ retriever: new DocsRetriever(), chatModel: newLLM() }).chat({ message: 'with context' });
    await until(() => memory.traces.length === 2, 'two traces');
    expect(tree(memory.traces[0]!)).toMatchObject({ name: 'SimpleChatEngine.chat', type: 'CHAIN', inputs: { message: 'hello there' }, outputs: { response: 'Echo: hello there' }, children: [{ name: 'OpenAI.chat' }] });
    const ctx = tree(memory.traces[1]!);
    expect(ctx).toMatchObject({ name: 'ContextChatEngine.chat', type: 'CHAIN' });
    expect(ctx.children.map((c) => c.name)).toEqual(['DocsRetriever.retrieve', 'OpenAI.chat']);
  });

  test('LLM stream: the span stays open until the reply is read; text assembled, time to first token; LlamaIndex still sees its own stream events', async () => {
    const ends: unknown[] = [];
    const onEnd = (e: any) => ends.push(e.detail.response.message.content);
    Settings.callbackManager.on('llm-end', onEnd);
    try {
      const stream = await newLLM().chat({ messages: [{ role: 'user', content: 'stream these words' }], stream: true });
      expect(memory.traces).toHaveLength(0);
      let text = '';
      for await (const chunk of stream) text += chunk.delta;
      expect(text).toBe('Echo: stream these words');
      const span = onlySpan(await firstTrace(), 'OpenAI.chat');
      expect((span.outputs as any).choices[0].message.content).toBe(text);
      expect(attr(span, TIME_TO_FIRST_TOKEN_KEY)).toBeGreaterThan(0);
      await until(() => ends.length === 1, 'llm-end event');
      expect(ends).toEqual([text]);
    } finally {
      Settings.callbackManager.off('llm-end', onEnd);
    }
  });

  test('agent workflow: AGENT run → LLM (tool call) → TOOL → LLM (answer), all in one trace', async () => {
    const searchDocs = tool({
      name: 'search_docs',
      description: 'Search the docs',
      parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] } as any,
      execute: ({ query }: { query: string }) => `docs about ${query}`,
    });
    // LlamaIndex's agent streams its LLM calls; usage comes with OpenAI's include_usage.
    const llm = new OpenAI({ model: 'gpt-4o-mini', apiKey: API_KEY, baseURL: fake.server.baseURL, maxRetries: 0, additionalChatOptions: { stream_options: { include_usage: true } } as any });
    const result = await agent({ tools: [searchDocs], llm }).run('find tracing docs');
    expect(JSON.stringify(result.data)).toContain('find tracing docs');
    const trace = await firstTrace();
    const run = onlySpan(trace, 'AgentWorkflow.run');
    expect(run.spanType).toBe('AGENT');
    expect(run.parentId ?? null).toBeNull();
    const toolSpan = onlySpan(trace, 'search_docs');
    expect(toolSpan.spanType).toBe('TOOL');
    expect(toolSpan.inputs).toEqual({ query: 'find tracing docs' });
    expect(toolSpan.outputs).toBe('docs about find tracing docs');
    const llms = spansOfType(trace, 'LLM');
    expect(llms).toHaveLength(2);
    expect(attr(llms[0]!, K.CHAT_TOOLS)).toEqual([{ type: 'function', function: { name: 'search_docs', description: 'Search the docs', parameters: expect.any(Object) } }]);
    const sum = llms.reduce((n, s) => n + (s.tokenUsage as any).total_tokens, 0);
    expect((traceTokenUsage(trace) as any).total_tokens).toBe(sum);
  });

  test('errors: recorded on the LLM and chat engine spans with the OpenAI SDK class name, rethrown unchanged; the quoted key masked', async () => {
    const error = await new SimpleChatEngine({ llm: newLLM('reject-key') }).chat({ message: 'x' }).catch((e: Error) => e);
    expect(error.constructor.name).toBe('AuthenticationError');
    const trace = await firstTrace();
    for (const name of ['OpenAI.chat', 'SimpleChatEngine.chat']) {
      const span = onlySpan(trace, name);
      expect(span.status.statusCode).toBe('STATUS_CODE_ERROR');
      expect(span.events.find((e) => e.name === 'exception')!.attributes['exception.type']).toBe('AuthenticationError');
    }
    expect(traceToJsonText(trace)).not.toContain('SECRET');
  });

  test('with the OpenAI integration on the client LlamaIndex uses: its SDK span nests under the LLM span, tokens counted once', async () => {
    const client = tracedOpenAI(new OpenAIClient({ apiKey: API_KEY, baseURL: fake.server.baseURL, maxRetries: 0 }));
    await openaiAutolog();
    try {
      await new SimpleChatEngine({ llm: new OpenAI({ model: 'gpt-4o-mini', session: client as any }) }).chat({ message: 'count once' });
    } finally {
      await openaiAutolog({ disable: true });
    }
    const trace = await firstTrace();
    const llm = onlySpan(trace, 'OpenAI.chat');
    const sdk = spansOfType(trace, 'LLM').find((s) => s !== llm)!;
    expect(sdk.parentId).toBe(llm.spanId);
    expect(sdk.tokenUsage).toEqual(llm.tokenUsage);
    expect(traceTokenUsage(trace)).toEqual(llm.tokenUsage);
  });

  test('the combining test: @Trace(CHAIN) → @Trace(RETRIEVER) → LlamaIndex chat engine, one trace with usage', async () => {
    const llm = newLLM();
    const { trace } = await runCombining(memory, async (context, question) => {
      const res = await new SimpleChatEngine({ llm }).chat({ message: `${context}\n${question}` });
      return res.message.content as string;
    });
    expect(onlySpan(trace, 'SimpleChatEngine.chat').parentId).toBe(onlySpan(trace, 'ragQuery').spanId);
    expect(traceTokenUsage(trace)).toEqual(onlySpan(trace, 'OpenAI.chat').tokenUsage);
  });

  test('50 concurrent streamed LLM calls → 50 traces, no crossed spans', async () => {
    const llm = newLLM();
    await runConcurrentStreams(memory, 50, async (marker) => {
      let text = '';
      for await (const c of await llm.chat({ messages: [{ role: 'user', content: `about ${marker}` }], stream: true })) text += c.delta;
      return text;
    });
  });

  test('autolog({ disable: true }) restores LlamaIndex: nothing patched, untraced; on again after', async () => {
    await autolog({ disable: true });
    expect(patched()).toBe(0);
    const response = await new RetrieverQueryEngine(new DocsRetriever()).query({ query: 'untraced' });
    expect(response.message.content).toContain('untraced');
    expect(memory.traces).toHaveLength(0);
    await autolog();
    await new DocsRetriever().retrieve('traced');
    expect((await firstTrace()).data.spans.map((s) => s.name)).toEqual(['DocsRetriever.retrieve']);
  });
});
