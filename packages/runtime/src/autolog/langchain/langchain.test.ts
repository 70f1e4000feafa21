import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { RunnableLambda } from '@langchain/core/runnables';
import { BaseRetriever } from '@langchain/core/retrievers';
import { Document } from '@langchain/core/documents';
import { tool } from '@langchain/core/tools';
import { AIMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import * as ManagerEsm from '@langchain/core/callbacks/manager';
import { StateGraph, MessagesAnnotation, START, END } from '@langchain/langgraph';
import { useMemoryDestination, shape } from '../../core/__tests__/memory.js';
import { withSpan } from '../../api/spans.js';
import { SpanType } from '../../model/constants.js';
import { patchedCount } from '../common/patch-registry.js';
import { TIME_TO_FIRST_TOKEN_KEY } from '../common/llm-call.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../testing/fake-openai-server.js';
import { ServerChatModel } from '../testing/openai-chat-model.js';
import { K, attr, onlySpan, traceTokenUsage, until } from '../testing/traces.js';
import { autolog, TracewrightCallbackHandler } from './index.js';

const require = createRequire(import.meta.url);
const ManagerCjs = require('@langchain/core/callbacks/manager') as typeof ManagerEsm;

const memory = useMemoryDestination();
let server: FakeOpenAIServer;
const model = (name = 'gpt-lc') => new ServerChatModel({ baseURL: server.baseURL, apiKey: 'sk-lc-SECRET', model: name });

class KeywordRetriever extends BaseRetriever {
  override lc_namespace = ['tests', 'retrievers'];
  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    return [new Document({ pageContent: `MLflow tracing doc about ${query}`, metadata: { source: 'docs/tracing.md' }, id: 'doc-1' })];
  }
}

const searchDocs = tool(async ({ query }: { query: string }) => `found 2 pages for ${query}`, {
  name: 'search_docs',
  description: 'Search the docs',
  schema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] } as any,
});

beforeAll(async () => {
  server = await startFakeOpenAIServer();
});
afterAll(async () => {
  await autolog({ disable: true });
  await server.close();
});

describe('langchain autolog', () => {
  beforeAll(async () => {
    const r = await autolog();
    expect(r.copies).toBe(2);
  });

  test('patches CallbackManager in the ESM and CJS copies, idempotently', async () => {
    expect(ManagerCjs.CallbackManager).not.toBe(ManagerEsm.CallbackManager);
    expect(patchedCount('langchain')).toBe(2);
    await autolog();
    expect(patchedCount('langchain')).toBe(2);
  });

  test('prompt | chat model | parser under the active span: nested CHAIN / CHAT_MODEL spans, messages, usage', async () => {
    const prompt = ChatPromptTemplate.fromMessages([['system', 'answer briefly'], ['human', '{question}']]);
    const chain = prompt.pipe(model()).pipe(new StringOutputParser());
    const answer = await withSpan(() => chain.invoke({ question: 'what is tracing' }), { name: 'request', spanType: SpanType.CHAIN });
    expect(answer).toBe('Echo: what is tracing');
    await until(() => memory.traces.length === 1, 'trace export');
    const trace = memory.traces[0]!;
    expect(shape(trace)).toEqual({
      name: 'request',
      type: 'CHAIN',
      status: 'OK',
      children: [
        {
          name: 'RunnableSequence',
          type: 'CHAIN',
          status: 'OK',
          children: [
            { name: 'ChatPromptTemplate', type: 'CHAIN', status: 'OK', children: [] },
            { name: 'ServerChatModel', type: 'CHAT_MODEL', status: 'OK', children: [] },
            { name: 'StrOutputParser', type: 'CHAIN', status: 'OK', children: [] },
          ],
        },
      ],
    });
    const chat = onlySpan(trace, 'ServerChatModel');
    expect(chat.inputs).toEqual([[{ role: 'system', content: 'answer briefly' }, { role: 'user', content: 'what is tracing' }]]);
    expect((chat.outputs as any).generations[0][0].message).toEqual({ role: 'assistant', content: 'Echo: what is tracing' });
    expect(attr(chat, K.MODEL)).toBe('gpt-lc');
    expect(attr(chat, K.MESSAGE_FORMAT)).toBe('langchain');
    expect(chat.tokenUsage).toEqual({ input_tokens: 5, output_tokens: 4, total_tokens: 9 });
    expect(traceTokenUsage(trace)).toEqual({ input_tokens: 5, output_tokens: 4, total_tokens: 9 });
  });

  test('retriever and tool runs become RETRIEVER and TOOL spans', async () => {
    const retriever = new KeywordRetriever();
    const pipeline = RunnableLambda.from(async (q: string) => {
      const docs = await retriever.invoke(q);
      const found = await searchDocs.invoke({ query: q });
      return { docs: docs.length, found };
    }).withConfig({ runName: 'rag' });
    const out = await pipeline.invoke('spans');
    expect(out).toEqual({ docs: 1, found: 'found 2 pages for spans' });
    await until(() => memory.traces.length === 1, 'trace export');
    const trace = memory.traces[0]!;
    expect(shape(trace)).toEqual({
      name: 'rag',
      type: 'CHAIN',
      status: 'OK',
      children: [
        { name: 'KeywordRetriever', type: 'RETRIEVER', status: 'OK', children: [] },
        { name: 'search_docs', type: 'TOOL', status: 'OK', children: [] },
      ],
    });
    const ret = onlySpan(trace, 'KeywordRetriever');
    expect(ret.inputs).toEqual({ query: 'spans' });
    expect(ret.outputs).toEqual([{ page_content: 'MLflow tracing doc about spans', metadata: { source: 'docs/tracing.md' }, id: 'doc-1' }]);
    expect(onlySpan(trace, 'search_docs').inputs).toEqual({ query: 'spans' });
  });

  test('a LangGraph agent graph: graph, nodes, chat model with tool calls and the tool appear as nested spans', async () => {
    const llm = model().bindTools([searchDocs]);
    const callModel = async (state: typeof MessagesAnnotation.State) => ({ messages: [await llm.invoke(state.messages)] });
    const callTools = async (state: typeof MessagesAnnotation.State) => {
      const last = state.messages.at(-1) as AIMessage;
      const results = await Promise.all(last.tool_calls!.map(async (tc) => new ToolMessage({ content: await searchDocs.invoke(tc.args as { query: string }), tool_call_id: tc.id! })));
      return { messages: results };
    };
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('agent', callModel)
      .addNode('tools', callTools)
      .addEdge(START, 'agent')
      .addConditionalEdges('agent', (s) => ((s.messages.at(-1) as AIMessage).tool_calls?.length ? 'tools' : END))
      .addEdge('tools', 'agent')
      .compile();
    const result = await withSpan(() => graph.invoke({ messages: [new HumanMessage('find tracing docs')] }), { name: 'user_request', spanType: SpanType.AGENT });
    expect(result.messages.at(-1)!.content).toBe('Echo: find tracing docs');
    await until(() => memory.traces.length === 1, 'trace export');
    const trace = memory.traces[0]!;
    const spans = trace.data.spans;
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const root = spans.find((s) => !s.parentId)!;
    expect(root.name).toBe('user_request');
    const graphSpan = spans.find((s) => s.parentId === root.spanId)!;
    expect(graphSpan.spanType).toBe('CHAIN');
    const ancestors = (s: (typeof spans)[number]) => {
      const names: string[] = [];
      for (let p = s.parentId ? byId.get(s.parentId) : undefined; p; p = p.parentId ? byId.get(p.parentId) : undefined) names.push(p.name);
      return names;
    };
    const chats = spans.filter((s) => s.spanType === 'CHAT_MODEL');
    expect(chats).toHaveLength(2);
    for (const chat of chats) expect(ancestors(chat)).toEqual(expect.arrayContaining(['agent', graphSpan.name, 'user_request']));
    const toolSpan = spans.find((s) => s.spanType === 'TOOL')!;
    expect(ancestors(toolSpan)).toEqual(expect.arrayContaining(['tools', graphSpan.name, 'user_request']));
    const firstChat = chats.sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : 1))[0]!;
    expect((firstChat.outputs as any).generations[0][0].message.tool_calls[0].function.name).toBe('search_docs');
    expect(attr(firstChat, K.CHAT_TOOLS)).toEqual([expect.objectContaining({ type: 'function', function: expect.objectContaining({ name: 'search_docs' }) })]);
    const usage = traceTokenUsage(trace) as { total_tokens: number };
    expect(usage.total_tokens).toBe(chats.reduce((n, c) => n + c.tokenUsage!.total_tokens, 0));
  });

  test('a streamed chain records its inputs (reported by LangChain at the end) and the streamed output', async () => {
    const chain = ChatPromptTemplate.fromTemplate('tell me about {topic}').pipe(model()).pipe(new StringOutputParser());
    let text = '';
    for await (const piece of await chain.stream({ topic: 'spans' })) text += piece;
    expect(text).toBe('Echo: tell me about spans');
    await until(() => memory.traces.length === 1, 'trace export');
    const seq = onlySpan(memory.traces[0]!, 'RunnableSequence');
    expect(seq.inputs).toEqual({ topic: 'spans' });
    expect(seq.outputs).toEqual({ output: 'Echo: tell me about spans' });
  });

  test('streaming a chat model records time to first token; errors mark spans ERROR', async () => {
    let text = '';
    for await (const chunk of await model().stream('stream please')) text += chunk.content;
    expect(text).toBe('Echo: stream please');
    await until(() => memory.traces.length === 1, 'trace export');
    const chat = onlySpan(memory.traces[0]!, 'ServerChatModel');
    expect(attr(chat, TIME_TO_FIRST_TOKEN_KEY)).toBeGreaterThan(0);
    expect(chat.tokenUsage).toEqual({ input_tokens: 2, output_tokens: 3, total_tokens: 5 });

    memory.clear();
    const chain = RunnableLambda.from((q: string) => q).pipe(model('fail-500'));
    await expect(chain.invoke('boom')).rejects.toThrow(/500/);
    await until(() => memory.traces.length === 1, 'trace export');
    const trace = memory.traces[0]!;
    expect(trace.info.state).toBe('ERROR');
    const failed = onlySpan(trace, 'ServerChatModel');
    expect(failed.status.statusCode).toBe('STATUS_CODE_ERROR');
    expect(failed.events.some((e) => e.name === 'exception')).toBe(true);
  });

  test('disable restores CallbackManager; runs are no longer traced', async () => {
    const before = patchedCount('langchain');
    await autolog({ disable: true });
    try {
      expect(patchedCount('langchain')).toBe(0);
      await model().invoke('quiet');
      expect(memory.traces).toHaveLength(0);
    } finally {
      await autolog();
    }
    expect(patchedCount('langchain')).toBe(before);
  });
});

describe('TracewrightCallbackHandler passed explicitly', () => {
  test('traces the run it is given, with no global patching', async () => {
    await autolog({ disable: true });
    const handler = new TracewrightCallbackHandler();
    const chain = ChatPromptTemplate.fromTemplate('say {x}').pipe(model());
    await chain.invoke({ x: 'hi' }, { callbacks: [handler] });
    await model().invoke('not traced');
    await until(() => memory.traces.length === 1, 'trace export');
    expect(shape(memory.traces[0]!)).toMatchObject({ name: 'RunnableSequence', children: [{ name: 'ChatPromptTemplate' }, { name: 'ServerChatModel', type: 'CHAT_MODEL' }] });
  });
});
