/**
 * A small fake Bedrock Runtime server on 127.0.0.1 speaking its REST-JSON protocol over HTTP/2
 * (the SDK's default handler for this client):
 * POST /model/{modelId}/converse (JSON), /converse-stream (event stream), /invoke (the model's
 * native body; Anthropic messages format) and /invoke-with-response-stream (event stream of
 * `chunk` events whose `bytes` hold Anthropic stream events). SigV4 `Authorization` headers
 * are required but not verified. A toolUse block is answered when tools are sent and no
 * toolResult is in the conversation yet.
 *
 * Scenarios by model id: "fail-500" → 500 InternalServerException; "rate-limited" → 429
 * ThrottlingException; "slow-stream" → 20 ms between stream events; "cached" adds cache
 * read/write tokens. Token counts are word counts.
 */
import type { ServerResponse } from 'node:http';
import { countTokens, pieces, sendJson, startServer, type FakeServer, type RecordedRequest } from './http.js';
import { encodeEvent } from './eventstream.js';

type Block = { text?: string; toolUse?: unknown; toolResult?: unknown };
type Message = { role?: string; content?: Block[] | string };

const textOf = (content: Message['content']) =>
  typeof content === 'string' ? content : (content ?? []).map((b) => (b as { text?: string }).text ?? '').join(' ');

function awsError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { message }, { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, 'x-amzn-requestid': 'req-err' });
}

async function sendEvents(res: ServerResponse, events: Buffer[], delayMs: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'req-stream' });
  for (const e of events) {
    if (res.destroyed) return;
    res.write(e);
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  }
  res.end();
}

function reply(model: string, messages: Message[], hasTools: boolean) {
  const user = textOf(messages.filter((m) => m.role === 'user').at(-1)?.content);
  const answered = messages.some((m) => Array.isArray(m.content) && m.content.some((b) => b.toolResult || (b as { type?: string }).type === 'tool_result'));
  const tool = hasTools && !answered;
  const text = tool ? 'Let me check.' : `Echo: ${user}`;
  const input = messages.reduce((n, m) => n + countTokens(textOf(m.content)), 0);
  const output = countTokens(text) + (tool ? 1 : 0);
  const cache = model.includes('cached') ? { cacheReadInputTokens: 6, cacheWriteInputTokens: 2 } : {};
  return { user, text, tool, usage: { inputTokens: input, outputTokens: output, totalTokens: input + output, ...cache } };
}

async function converse(model: string, body: any, res: ServerResponse, stream: boolean): Promise<void> {
  const toolSpec = body.toolConfig?.tools?.[0]?.toolSpec;
  const r = reply(model, body.messages ?? [], !!toolSpec);
  const toolUse = r.tool ? { toolUseId: 'tooluse_1', name: toolSpec.name, input: { query: r.user } } : undefined;
  if (!stream) {
    const content = toolUse ? [{ text: r.text }, { toolUse }] : [{ text: r.text }];
    return sendJson(res, 200, { output: { message: { role: 'assistant', content } }, stopReason: toolUse ? 'tool_use' : 'end_turn', usage: r.usage, metrics: { latencyMs: 3 } }, { 'x-amzn-requestid': 'req-1' });
  }
  const events = [encodeEvent('messageStart', { role: 'assistant' })];
  for (const p of pieces(r.text)) events.push(encodeEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: p } }));
  events.push(encodeEvent('contentBlockStop', { contentBlockIndex: 0 }));
  if (toolUse) {
    const json = JSON.stringify(toolUse.input);
    events.push(encodeEvent('contentBlockStart', { contentBlockIndex: 1, start: { toolUse: { toolUseId: toolUse.toolUseId, name: toolUse.name } } }));
    events.push(encodeEvent('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: json.slice(0, 5) } } }));
    events.push(encodeEvent('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: json.slice(5) } } }));
    events.push(encodeEvent('contentBlockStop', { contentBlockIndex: 1 }));
  }
  events.push(encodeEvent('messageStop', { stopReason: toolUse ? 'tool_use' : 'end_turn' }));
  events.push(encodeEvent('metadata', { usage: r.usage, metrics: { latencyMs: 3 } }));
  await sendEvents(res, events, model.includes('slow-stream') ? 20 : 0);
}

/** InvokeModel with an Anthropic messages body. */
async function invoke(model: string, body: any, res: ServerResponse, stream: boolean): Promise<void> {
  const r = reply(model, body.messages ?? [], false);
  const usage = { input_tokens: r.usage.inputTokens, output_tokens: r.usage.outputTokens };
  const message = { id: 'msg_1', type: 'message', role: 'assistant', model, content: [{ type: 'text', text: r.text }], stop_reason: 'end_turn', stop_sequence: null, usage };
  if (!stream) {
    const text = JSON.stringify(message);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': 'req-1' });
    return void res.end(text);
  }
  const inner: unknown[] = [{ type: 'message_start', message: { ...message, content: [], usage: { input_tokens: usage.input_tokens, output_tokens: 1 } } }, { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }];
  for (const p of pieces(r.text)) inner.push({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: p } });
  inner.push({ type: 'content_block_stop', index: 0 }, { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: usage.output_tokens } });
  inner.push({ type: 'message_stop', 'amazon-bedrock-invocationMetrics': { inputTokenCount: usage.input_tokens, outputTokenCount: usage.output_tokens } });
  const events = inner.map((e) => encodeEvent('chunk', { bytes: Buffer.from(JSON.stringify(e)).toString('base64') }));
  await sendEvents(res, events, model.includes('slow-stream') ? 20 : 0);
}

export async function startFakeBedrockServer(port = 0): Promise<FakeServer> {
  return startServer(async (req: RecordedRequest, res) => {
    if (!/^AWS4-HMAC-SHA256 Credential=/.test(String(req.headers.authorization ?? ''))) return awsError(res, 403, 'AccessDeniedException', 'Missing Authentication Token');
    const match = /^\/model\/([^/]+)\/(converse|converse-stream|invoke|invoke-with-response-stream)$/.exec(req.path);
    if (req.method !== 'POST' || !match) return awsError(res, 404, 'ResourceNotFoundException', `Unknown route ${req.method} ${req.path}`);
    const model = decodeURIComponent(match[1]!);
    if (model.includes('fail-500')) return awsError(res, 500, 'InternalServerException', 'The server encountered an internal error.');
    if (model.includes('rate-limited')) return awsError(res, 429, 'ThrottlingException', 'Too many requests, please wait before trying again.');
    const body = typeof req.body === 'object' && req.body ? req.body : {};
    const op = match[2]!;
    if (op.startsWith('converse')) return converse(model, body, res, op === 'converse-stream');
    return invoke(model, body, res, op === 'invoke-with-response-stream');
  }, '127.0.0.1', port, 'h2c');
}
