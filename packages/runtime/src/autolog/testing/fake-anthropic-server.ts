/**
 * A small fake Anthropic server speaking the real HTTP protocol on 127.0.0.1:
 * POST /v1/messages, JSON or SSE (`event: message_start` ... `message_stop`), with a
 * `tool_use` block when `tools` are given and no `tool_result` is in the conversation yet.
 *
 * Scenarios by model name: "fail-500" → 500 api_error; "overloaded" → 529; "rate-limited" →
 * 429 with retry-after; "slow-stream" → 20 ms between events. Requests without `x-api-key` or
 * `Authorization: Bearer` get 401. Token counts are word counts; "cached" in the model name adds cache usage.
 */
import type { ServerResponse } from 'node:http';
import { countTokens, pieces, sendJson, sendSse, startServer, type FakeServer, type RecordedRequest } from './http.js';

export interface FakeAnthropicOptions {
  reply?: (lastUserText: string, body: any) => string;
  port?: number;
}

type Message = { role?: string; content?: unknown };

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((b) => (b?.type === 'text' ? b.text : '')).join(' ');
  return '';
}

const hasToolResult = (messages: Message[]) =>
  messages.some((m) => Array.isArray(m.content) && m.content.some((b: any) => b?.type === 'tool_result'));

let counter = 0;
const nextId = (prefix: string) => `${prefix}_${(++counter).toString(36).padStart(8, '0')}`;

function error(res: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { type: 'error', error: { type, message } }, { 'request-id': nextId('req'), ...headers });
}

async function messages(req: RecordedRequest, res: ServerResponse, opts: FakeAnthropicOptions): Promise<void> {
  const body = req.body ?? {};
  const model = String(body.model ?? '');
  if (model === 'fail-500') return error(res, 500, 'api_error', 'Internal server error');
  if (model === 'overloaded') return error(res, 529, 'overloaded_error', 'Overloaded');
  if (model === 'rate-limited') return error(res, 429, 'rate_limit_error', 'Number of requests has exceeded your rate limit', { 'retry-after': '0' });
  const msgs: Message[] = body.messages ?? [];
  const last = msgs.filter((m) => m.role === 'user').at(-1);
  const user = textOf(last?.content);
  const tool = Array.isArray(body.tools) && body.tools.length > 0 && !hasToolResult(msgs) ? body.tools[0] : undefined;
  const text = tool ? 'Let me look that up.' : (opts.reply?.(user, body) ?? `Echo: ${user}`);
  const toolUse = tool ? { type: 'tool_use', id: nextId('toolu'), name: tool.name, input: { query: user } } : undefined;
  const usage: Record<string, number> = {
    input_tokens: msgs.reduce((n, m) => n + countTokens(textOf(m.content)), 0) + countTokens(typeof body.system === 'string' ? body.system : ''),
    output_tokens: countTokens(text) + (toolUse ? countTokens(JSON.stringify(toolUse.input)) : 0),
  };
  if (model.includes('cached')) Object.assign(usage, { cache_read_input_tokens: 7, cache_creation_input_tokens: 3 });
  const content = toolUse ? [{ type: 'text', text }, toolUse] : [{ type: 'text', text }];
  const message = { id: nextId('msg'), type: 'message', role: 'assistant', model, content, stop_reason: toolUse ? 'tool_use' : 'end_turn', stop_sequence: null, usage };
  if (!body.stream) return sendJson(res, 200, message, { 'request-id': nextId('req') });

  const events: Array<{ event: string; data: unknown }> = [];
  const ev = (type: string, data: Record<string, unknown>) => events.push({ event: type, data: { type, ...data } });
  ev('message_start', { message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } });
  ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
  ev('ping', {});
  for (const piece of pieces(text)) ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } });
  ev('content_block_stop', { index: 0 });
  if (toolUse) {
    const json = JSON.stringify(toolUse.input);
    const half = Math.ceil(json.length / 2);
    ev('content_block_start', { index: 1, content_block: { ...toolUse, input: {} } });
    ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: json.slice(0, half) } });
    ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: json.slice(half) } });
    ev('content_block_stop', { index: 1 });
  }
  ev('message_delta', { delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
  ev('message_stop', {});
  await sendSse(res, events, model === 'slow-stream' ? 20 : 0);
}

export async function startFakeAnthropicServer(options: FakeAnthropicOptions = {}): Promise<FakeServer> {
  return startServer(async (req, res) => {
    // Older SDKs send x-api-key, newer ones Authorization: Bearer.
    if (!req.headers['x-api-key'] && !/^Bearer \S+/.test(String(req.headers.authorization ?? ''))) {
      return error(res, 401, 'authentication_error', 'x-api-key header is required');
    }
    if (req.method === 'POST' && req.path === '/v1/messages') return messages(req, res, options);
    return error(res, 404, 'not_found_error', `Unknown route ${req.method} ${req.path}`);
  }, '127.0.0.1', options.port ?? 0);
}
