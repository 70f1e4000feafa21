import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Bedrock from '@aws-sdk/client-bedrock-runtime';
import { useMemoryDestination } from '../../core/__tests__/memory.js';
import { traceToJsonText } from '../../model/json.js';
import { patchedCount } from '../common/patch-registry.js';
import { TIME_TO_FIRST_TOKEN_KEY } from '../common/llm-call.js';
import { startFakeBedrockServer } from '../testing/fake-bedrock-server.js';
import type { FakeServer } from '../testing/http.js';
import { runCombining, runConcurrentStreams, underRequestSpan, runDisableScenario, runTracedClientScenario } from '../testing/scenarios.js';
import { K, attr, onlySpan, traceTokenUsage, until } from '../testing/traces.js';
import { autolog, tracedBedrockRuntime } from './index.js';

const ACCESS_KEY = 'AKIATESTSECRETID0001';
const SECRET_KEY = 'SECRET-aws-secret-access-key-0123456789';
const SESSION_TOKEN = 'SECRET-session-token-abcdef';

const memory = useMemoryDestination();
let server: FakeServer;

beforeAll(async () => {
  server = await startFakeBedrockServer();
});
afterAll(async () => {
  await autolog({ disable: true });
  await server.close();
});

// Static credentials and an explicit endpoint: the SDK never looks for credentials elsewhere
// (no instance-metadata probe); one attempt so errors are not retried.
const newClient = () =>
  new Bedrock.BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: server.url,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, sessionToken: SESSION_TOKEN },
    maxAttempts: 1,
  });
const user = (text: string) => [{ role: 'user' as const, content: [{ text }] }];
const toolConfig = { tools: [{ toolSpec: { name: 'search_docs', description: 'Search the docs', inputSchema: { json: { type: 'object', properties: { query: { type: 'string' } } } } } }] };
const anthropicBody = (text: string) => JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 50, messages: [{ role: 'user', content: text }] });

const scenario = {
  autolog,
  integration: 'bedrock',
  newClient,
  call: (client: Bedrock.BedrockRuntimeClient, text: string) => client.send(new Bedrock.ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: user(text) })),
  textOf: (inputs: any) => inputs.messages[0].content[0].text,
};

describe('bedrock autolog', () => {
  let early: Bedrock.BedrockRuntimeClient;
  beforeAll(async () => {
    early = newClient();
    const r = await autolog();
    expect(r.copies).toBeGreaterThanOrEqual(1);
  });

  test('idempotent; a client created before autolog() is traced; other commands pass through', async () => {
    const count = patchedCount('bedrock');
    expect(count).toBeGreaterThanOrEqual(1);
    await autolog();
    expect(patchedCount('bedrock')).toBe(count);
    await early.send(new Bedrock.ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: user('early') }));
    // The aggregated client sends the same commands.
    const agg = new Bedrock.BedrockRuntime({ region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY }, maxAttempts: 1 });
    await agg.converse({ modelId: 'amazon.nova-lite-v1:0', messages: user('aggregated') });
    await early.send(new Bedrock.GetAsyncInvokeCommand({ invocationArn: 'arn:aws:bedrock:us-east-1:1:async-invoke/x' })).catch(() => undefined);
    expect(memory.traces.map((t) => t.data.spans.map((s) => s.name))).toEqual([['Converse'], ['Converse']]);
  });

  test('Converse under a parent: LLM span with format, model, provider, tools, output and usage incl. cache', async () => {
    const client = newClient();
    const input = { modelId: 'anthropic.claude-3-haiku-cached', messages: user('find docs'), system: [{ text: 'be brief' }], toolConfig };
    const res = await underRequestSpan(() => client.send(new Bedrock.ConverseCommand(input)));
    expect(res.stopReason).toBe('tool_use');
    const trace = memory.traces[0]!;
    const span = onlySpan(trace, 'Converse');
    expect(span.parentId).toBe(onlySpan(trace, 'request').spanId);
    expect(span.spanType).toBe('LLM');
    expect(attr(span, K.MESSAGE_FORMAT)).toBe('bedrock');
    expect(attr(span, K.PROVIDER)).toBe('bedrock');
    expect(attr(span, K.MODEL)).toBe(input.modelId);
    expect(attr(span, K.CHAT_TOOLS)).toEqual([{ type: 'function', function: { name: 'search_docs', description: 'Search the docs', parameters: toolConfig.tools[0]!.toolSpec.inputSchema.json } }]);
    expect(span.inputs).toEqual(input);
    expect((span.outputs as any).output.message.content[1].toolUse).toEqual({ toolUseId: 'tooluse_1', name: 'search_docs', input: { query: 'find docs' } });
    const usage = { input_tokens: 2, output_tokens: 4, total_tokens: 6, cache_read_input_tokens: 6, cache_creation_input_tokens: 2 };
    expect(span.tokenUsage).toEqual(usage);
    expect(traceTokenUsage(trace)).toEqual(usage);
  });

  test('ConverseStream: span open until the event stream is consumed; message, tool use, usage, time to first token', async () => {
    const client = newClient();
    const texts = await underRequestSpan(async () => {
      const res = await client.send(new Bedrock.ConverseStreamCommand({ modelId: 'amazon.nova-pro-v1:0', messages: user('stream docs'), toolConfig }));
      expect(memory.traces).toHaveLength(0);
      const out: string[] = [];
      for await (const e of res.stream!) if (e.contentBlockDelta?.delta?.text) out.push(e.contentBlockDelta.delta.text);
      return out;
    });
    expect(texts.join('')).toBe('Let me check.');
    await until(() => memory.traces.length === 1, 'trace export');
    const span = onlySpan(memory.traces[0]!, 'ConverseStream');
    expect(span.parentId).toBe(onlySpan(memory.traces[0]!, 'request').spanId);
    expect(span.outputs).toMatchObject({
      output: { message: { role: 'assistant', content: [{ text: 'Let me check.' }, { toolUse: { toolUseId: 'tooluse_1', name: 'search_docs', input: { query: 'stream docs' } } }] } },
      stopReason: 'tool_use',
    });
    expect(span.tokenUsage).toEqual({ input_tokens: 2, output_tokens: 4, total_tokens: 6 });
    expect(attr(span, TIME_TO_FIRST_TOKEN_KEY)).toBeGreaterThan(0);
  });

  test('a ConverseStream closed early (break) ends its span with what arrived', async () => {
    const res = await newClient().send(new Bedrock.ConverseStreamCommand({ modelId: 'slow-stream', messages: user('a b c d e f') }));
    let n = 0;
    for await (const e of res.stream!) if (e.contentBlockDelta && ++n === 2) break;
    await until(() => memory.traces.length === 1, 'trace export');
    const span = onlySpan(memory.traces[0]!, 'ConverseStream');
    expect((span.outputs as any).output.message.content).toEqual([{ text: 'Echo: a ' }]);
  });

  test('InvokeModel (Anthropic body): body decoded in inputs and outputs, anthropic format, usage', async () => {
    const res = await newClient().send(new Bedrock.InvokeModelCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', contentType: 'application/json', body: anthropicBody('hello there') }));
    expect(JSON.parse(new TextDecoder().decode(res.body)).content[0].text).toBe('Echo: hello there');
    const span = onlySpan(memory.traces[0]!, 'InvokeModel');
    expect(attr(span, K.MESSAGE_FORMAT)).toBe('anthropic');
    expect((span.inputs as any).body.messages).toEqual([{ role: 'user', content: 'hello there' }]);
    expect((span.outputs as any).body.content[0].text).toBe('Echo: hello there');
    expect(span.tokenUsage).toEqual({ input_tokens: 2, output_tokens: 3, total_tokens: 5 });
  });

  test('InvokeModelWithResponseStream (Anthropic): chunks decoded and assembled, usage, time to first token', async () => {
    const res = await newClient().send(new Bedrock.InvokeModelWithResponseStreamCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', contentType: 'application/json', body: anthropicBody('stream me') }));
    let text = '';
    for await (const e of res.body!) {
      const ev = JSON.parse(new TextDecoder().decode(e.chunk!.bytes));
      if (ev.type === 'content_block_delta') text += ev.delta.text;
    }
    expect(text).toBe('Echo: stream me');
    await until(() => memory.traces.length === 1, 'trace export');
    const span = onlySpan(memory.traces[0]!, 'InvokeModelWithResponseStream');
    expect((span.outputs as any).content).toEqual([{ type: 'text', text: 'Echo: stream me' }]);
    expect(span.tokenUsage).toEqual({ input_tokens: 2, output_tokens: 3, total_tokens: 5 });
    expect(attr(span, TIME_TO_FIRST_TOKEN_KEY)).toBeGreaterThan(0);
  });

  test('errors (500, 429 throttling) are recorded with the SDK class name and rethrown unchanged', async () => {
    const client = newClient();
    const errors = await Promise.all(['fail-500', 'rate-limited'].map((modelId) => client.send(new Bedrock.ConverseCommand({ modelId, messages: user('x') })).catch((e) => e)));
    expect(errors[0]).toBeInstanceOf(Bedrock.InternalServerException);
    expect(errors[1]).toBeInstanceOf(Bedrock.ThrottlingException);
    await until(() => memory.traces.length === 2, 'two traces');
    const types = memory.traces.map((t) => onlySpan(t, 'Converse').events.find((e) => e.name === 'exception')!.attributes['exception.type']).sort();
    expect(types).toEqual(['InternalServerException', 'ThrottlingException']);
    for (const t of memory.traces) expect(onlySpan(t, 'Converse').status.statusCode).toBe('STATUS_CODE_ERROR');
  });

  test('the combining test: @Trace(CHAIN) → @Trace(RETRIEVER) → Converse, one trace with usage', async () => {
    const client = newClient();
    const { answer, trace } = await runCombining(memory, async (context, question) => {
      const res = await client.send(new Bedrock.ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', system: [{ text: context }], messages: user(question) }));
      return res.output!.message!.content![0]!.text!;
    });
    expect(answer).toBe('Echo: spans');
    const llm = onlySpan(trace, 'Converse');
    expect(llm.parentId).toBe(onlySpan(trace, 'ragQuery').spanId);
    expect(llm.tokenUsage).toEqual({ input_tokens: 1, output_tokens: 2, total_tokens: 3 });
    expect(traceTokenUsage(trace)).toEqual(llm.tokenUsage);
  });

  test('50 concurrent ConverseStream calls → 50 traces, no crossed spans', async () => {
    const client = newClient();
    await runConcurrentStreams(memory, 50, async (marker) => {
      const res = await client.send(new Bedrock.ConverseStreamCommand({ modelId: 'amazon.nova-lite-v1:0', messages: user(`about ${marker}`) }));
      let text = '';
      for await (const e of res.stream!) text += e.contentBlockDelta?.delta?.text ?? '';
      return text;
    });
  });

  test('credentials and the SigV4 signature never reach the stored trace', async () => {
    const client = newClient();
    await client.send(new Bedrock.ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: user('k') }));
    await client.send(new Bedrock.ConverseCommand({ modelId: 'fail-500', messages: user('k') })).catch(() => undefined);
    await until(() => memory.traces.length === 2, 'two traces');
    const auth = String(server.requests.at(-1)!.headers.authorization);
    expect(auth).toContain(ACCESS_KEY);
    const signature = /Signature=([0-9a-f]+)/.exec(auth)![1]!;
    for (const trace of memory.traces) {
      const text = traceToJsonText(trace);
      for (const secret of ['SECRET', ACCESS_KEY, signature, 'AWS4-HMAC-SHA256']) expect(text).not.toContain(secret);
    }
  });

  test('autolog({ disable: true }) restores the SDK', () => runDisableScenario(memory, scenario, patchedCount));
});

describe('tracedBedrockRuntime(client)', () => {
  test('instruments the same client object in place, idempotently; one span per call also with autolog on', () => runTracedClientScenario(memory, scenario, tracedBedrockRuntime));
});
