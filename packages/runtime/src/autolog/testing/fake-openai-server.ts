/**
 * A small fake OpenAI server speaking the real HTTP protocol on 127.0.0.1, for tests, the
 * benchmark and demos (point `new OpenAI({ baseURL: server.baseURL, apiKey: 'any' })` at it):
 *
 * - POST /v1/chat/completions  JSON, or SSE (`data: {chunk}` ... `data: [DONE]`) with
 *   `stream: true`; usage in a final chunk with `stream_options.include_usage`; a tool call
 *   when `tools` are given and no tool result is in the conversation yet.
 * - POST /v1/responses         JSON, or SSE events (response.created, output_text.delta, ...,
 *   response.completed); `function_call` output when `tools` are given.
 * - POST /v1/embeddings        float or base64 vectors.
 * - POST /v1/completions       legacy text completions.
 *
 * Scenarios by model name: "fail-500" → 500; "reject-key" → 401 quoting the key back; "rate-limited" → always 429 with retry-after;
 * "rate-limit-once" → 429 on the first attempt, then OK (the SDK retries); "slow-stream" →
 * 20 ms between stream chunks; "stream-error" → a chat stream that fails after one chunk. Requests without `Authorization: Bearer ...` get 401.
 * Token counts are word counts.
 */
import type { ServerResponse } from 'node:http';
import { countTokens, pieces, sendJson, sendSse, startServer, type FakeServer, type RecordedRequest } from './http.js';

export interface FakeOpenAIOptions {
  /** The assistant's answer; default "Echo: <last user text>". */
  reply?: (lastUserText: string, body: any) => string;
  /** Delay between streamed chunks (all models). */
  chunkDelayMs?: number;
  port?: number;
}

export interface FakeOpenAIServer extends FakeServer {
  /** `${url}/v1`, for `new OpenAI({ baseURL })`. */
  baseURL: string;
}

type Message = { role?: string; content?: unknown };

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'string' ? p : (p?.text ?? ''))).join(' ');
  return '';
}

function lastUserText(messages: Message[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'user') return textOf(messages[i]!.content);
  return '';
}

function inputTokens(messages: Message[]): number {
  return messages.reduce((n, m) => n + countTokens(textOf(m.content)), 0);
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}-${(++counter).toString(36).padStart(6, '0')}`;

function scenario(req: RecordedRequest, res: ServerResponse): boolean {
  const model = req.body?.model;
  if (model === 'reject-key') {
    // Like servers that quote the rejected credential back in the error message.
    const key = String(req.headers.authorization).replace(/^Bearer /, '');
    sendJson(res, 401, { error: { message: `Incorrect API key provided: ${key}.`, type: 'invalid_request_error', code: 'invalid_api_key' } });
    return true;
  }
  if (model === 'fail-500') {
    sendJson(res, 500, { error: { message: 'The server had an error while processing your request.', type: 'server_error' } });
    return true;
  }
  if (model === 'rate-limited' || (model === 'rate-limit-once' && req.headers['x-stainless-retry-count'] === '0')) {
    sendJson(res, 429, { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } }, { 'retry-after-ms': '5', 'retry-after': '0' });
    return true;
  }
  return false;
}

function toolCallFor(body: any, query: string) {
  const tool = body.tools?.[0];
  const name = tool?.function?.name ?? tool?.name ?? 'tool';
  return { id: nextId('call'), name, arguments: JSON.stringify({ query }) };
}

async function chatCompletions(req: RecordedRequest, res: ServerResponse, opts: FakeOpenAIOptions, delay: number): Promise<void> {
  const body = req.body ?? {};
  const messages: Message[] = body.messages ?? [];
  const user = lastUserText(messages);
  const wantsTool = Array.isArray(body.tools) && body.tools.length > 0 && !messages.some((m) => m.role === 'tool');
  const text = wantsTool ? null : (opts.reply?.(user, body) ?? `Echo: ${user}`);
  const call = wantsTool ? toolCallFor(body, user) : undefined;
  const usage = {
    prompt_tokens: inputTokens(messages),
    completion_tokens: text !== null ? countTokens(text) : countTokens(call!.arguments),
    total_tokens: 0,
  };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  const id = nextId('chatcmpl');
  const created = Math.floor(Date.now() / 1000);
  const finish = call ? 'tool_calls' : 'stop';
  if (!body.stream) {
    const message = call
      ? { role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }], refusal: null }
      : { role: 'assistant', content: text, refusal: null };
    sendJson(res, 200, { id, object: 'chat.completion', created, model: body.model, choices: [{ index: 0, message, finish_reason: finish, logprobs: null }], usage });
    return;
  }
  const chunk = (delta: unknown, finishReason: string | null = null) => ({
    data: { id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }] },
  });
  const events: Array<{ data: unknown }> = [chunk({ role: 'assistant', content: '' })];
  if (call) {
    const half = Math.ceil(call.arguments.length / 2);
    events.push(chunk({ tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments.slice(0, half) } }] }));
    events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: call.arguments.slice(half) } }] }));
  } else {
    for (const piece of pieces(text!)) events.push(chunk({ content: piece }));
  }
  if (body.model === 'stream-error') {
    // The API reports failures that happen mid-stream as an `error` payload in the stream.
    events.splice(2, events.length, { data: { error: { message: 'The model overloaded mid-stream', type: 'server_error', code: 'overloaded' } } });
    return sendSse(res, events, delay);
  }
  events.push(chunk({}, finish));
  if (body.stream_options?.include_usage) events.push({ data: { id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage } });
  events.push({ data: '[DONE]' });
  await sendSse(res, events, delay);
}

async function responses(req: RecordedRequest, res: ServerResponse, opts: FakeOpenAIOptions, delay: number): Promise<void> {
  const body = req.body ?? {};
  const input: Message[] = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : (body.input ?? []);
  const user = lastUserText(input);
  const wantsTool = Array.isArray(body.tools) && body.tools.length > 0 && !input.some((m: any) => m.type === 'function_call_output');
  const text = wantsTool ? '' : (opts.reply?.(user, body) ?? `Echo: ${user}`);
  const call = wantsTool ? toolCallFor(body, user) : undefined;
  const id = nextId('resp');
  const msgId = nextId('msg');
  const usage = { input_tokens: inputTokens(input) + countTokens(body.instructions ?? ''), output_tokens: call ? countTokens(call.arguments) : countTokens(text), total_tokens: 0 };
  usage.total_tokens = usage.input_tokens + usage.output_tokens;
  const output = call
    ? [{ type: 'function_call', id: nextId('fc'), call_id: call.id, name: call.name, arguments: call.arguments, status: 'completed' }]
    : [{ type: 'message', id: msgId, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] }];
  const base = { id, object: 'response', created_at: Math.floor(Date.now() / 1000), model: body.model, instructions: body.instructions ?? null, tools: body.tools ?? [] };
  const done = { ...base, status: 'completed', output, usage };
  if (!body.stream) {
    sendJson(res, 200, done);
    return;
  }
  let seq = 0;
  const ev = (type: string, data: Record<string, unknown>) => ({ event: type, data: { type, sequence_number: seq++, ...data } });
  const events = [ev('response.created', { response: { ...base, status: 'in_progress', output: [] } })];
  if (call) {
    events.push(ev('response.output_item.added', { output_index: 0, item: { ...output[0], arguments: '', status: 'in_progress' } }));
    events.push(ev('response.function_call_arguments.delta', { output_index: 0, item_id: output[0]!.id, delta: call.arguments }));
    events.push(ev('response.function_call_arguments.done', { output_index: 0, item_id: output[0]!.id, arguments: call.arguments }));
  } else {
    events.push(ev('response.output_item.added', { output_index: 0, item: { type: 'message', id: msgId, status: 'in_progress', role: 'assistant', content: [] } }));
    for (const piece of pieces(text)) events.push(ev('response.output_text.delta', { output_index: 0, content_index: 0, item_id: msgId, delta: piece }));
    events.push(ev('response.output_text.done', { output_index: 0, content_index: 0, item_id: msgId, text }));
  }
  events.push(ev('response.output_item.done', { output_index: 0, item: output[0] }));
  events.push(ev('response.completed', { response: done }));
  await sendSse(res, events, delay);
}

/** A deterministic unit vector per input text (8 dimensions). */
function vectorFor(text: string): number[] {
  const v = Array.from({ length: 8 }, (_, i) => {
    let h = 2166136261 ^ i;
    for (let k = 0; k < text.length; k++) h = Math.imul(h ^ text.charCodeAt(k), 16777619);
    return ((h >>> 0) % 1000) / 1000 - 0.5;
  });
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

function embeddings(req: RecordedRequest, res: ServerResponse): void {
  const body = req.body ?? {};
  const inputs: string[] = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? '')];
  const data = inputs.map((text, index) => {
    const vector = vectorFor(text);
    const embedding = body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  const tokens = inputs.reduce((n, t) => n + countTokens(t), 0);
  sendJson(res, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}

async function completions(req: RecordedRequest, res: ServerResponse, opts: FakeOpenAIOptions, delay: number): Promise<void> {
  const body = req.body ?? {};
  const prompt = String(Array.isArray(body.prompt) ? body.prompt[0] : (body.prompt ?? ''));
  const text = opts.reply?.(prompt, body) ?? `Echo: ${prompt}`;
  const usage = { prompt_tokens: countTokens(prompt), completion_tokens: countTokens(text), total_tokens: countTokens(prompt) + countTokens(text) };
  const base = { id: nextId('cmpl'), object: 'text_completion', created: Math.floor(Date.now() / 1000), model: body.model };
  if (!body.stream) {
    sendJson(res, 200, { ...base, choices: [{ index: 0, text, finish_reason: 'stop', logprobs: null }], usage });
    return;
  }
  const events: Array<{ data: unknown }> = pieces(text).map((piece) => ({ data: { ...base, choices: [{ index: 0, text: piece, finish_reason: null, logprobs: null }] } }));
  events.push({ data: { ...base, choices: [{ index: 0, text: '', finish_reason: 'stop', logprobs: null }] } });
  events.push({ data: '[DONE]' });
  await sendSse(res, events, delay);
}

export async function startFakeOpenAIServer(options: FakeOpenAIOptions = {}): Promise<FakeOpenAIServer> {
  const server = await startServer(async (req, res) => {
    if (!/^Bearer \S+/.test(String(req.headers.authorization ?? ''))) {
      sendJson(res, 401, { error: { message: 'You did not provide an API key.', type: 'invalid_request_error', code: 'invalid_api_key' } });
      return;
    }
    if (req.method !== 'POST') return sendJson(res, 404, { error: { message: `Unknown route ${req.method} ${req.path}`, type: 'invalid_request_error' } });
    if (scenario(req, res)) return;
    const delay = req.body?.model === 'slow-stream' ? 20 : (options.chunkDelayMs ?? 0);
    switch (req.path) {
      case '/v1/chat/completions':
        return chatCompletions(req, res, options, delay);
      case '/v1/responses':
        return responses(req, res, options, delay);
      case '/v1/embeddings':
        return embeddings(req, res);
      case '/v1/completions':
        return completions(req, res, options, delay);
      default:
        return sendJson(res, 404, { error: { message: `Unknown route ${req.method} ${req.path}`, type: 'invalid_request_error' } });
    }
  }, '127.0.0.1', options.port ?? 0);
  return { ...server, baseURL: `${server.url}/v1` };
}
