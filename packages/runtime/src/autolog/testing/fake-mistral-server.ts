/**
 * A small fake Mistral API server on 127.0.0.1: POST /v1/chat/completions (JSON, or `data:`
 * SSE ending in `[DONE]` with the usage on the finishing chunk, tool calls sent whole as
 * Mistral does) and POST /v1/embeddings. A tool call is answered when `tools` are sent and no
 * tool message is in the conversation yet.
 *
 * Scenarios by model name: "fail-500" → 500; "rate-limited" → 429; "reject-key" → 401 quoting
 * the key back; "slow-stream" → 20 ms between chunks. Requests without `Authorization:
 * Bearer` get 401. Token counts are word counts.
 */
import type { ServerResponse } from 'node:http';
import { countTokens, pieces, sendJson, sendSse, startServer, type FakeServer, type RecordedRequest } from './http.js';

type Message = { role?: string; content?: unknown };
const textOf = (c: unknown) => (typeof c === 'string' ? c : Array.isArray(c) ? c.map((p) => p?.text ?? '').join(' ') : '');
let counter = 0;
const nextId = () => `cmpl-${(++counter).toString(36)}`;

async function chat(body: any, res: ServerResponse): Promise<void> {
  const messages: Message[] = body.messages ?? [];
  const user = textOf(messages.filter((m) => m.role === 'user').at(-1)?.content);
  const tool = Array.isArray(body.tools) && body.tools.length > 0 && !messages.some((m) => m.role === 'tool') ? body.tools[0].function : undefined;
  const call = tool ? { id: 'call0001', type: 'function', function: { name: tool.name, arguments: JSON.stringify({ query: user }) }, index: 0 } : undefined;
  const text = call ? '' : `Echo: ${user}`;
  const prompt = messages.reduce((n, m) => n + countTokens(textOf(m.content)), 0);
  const completion = call ? 2 : countTokens(text);
  const usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  const head = { id: nextId(), object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: body.model };
  const finish = call ? 'tool_calls' : 'stop';
  if (!body.stream) {
    return sendJson(res, 200, { ...head, choices: [{ index: 0, message: { role: 'assistant', content: text, tool_calls: call ? [call] : null }, finish_reason: finish }], usage });
  }
  const chunk = (delta: unknown, finishReason: string | null = null, extra: object = {}) => ({ data: { ...head, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra } });
  const events = [chunk({ role: 'assistant', content: '' })];
  if (call) events.push(chunk({ tool_calls: [call] }));
  for (const p of call ? [] : pieces(text)) events.push(chunk({ content: p }));
  events.push(chunk({ content: '' }, finish, { usage }));
  await sendSse(res, [...events, { data: '[DONE]' }], body.model === 'slow-stream' ? 20 : 0);
}

function embeddings(body: any, res: ServerResponse): void {
  const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
  const tokens = inputs.reduce((n, t) => n + countTokens(String(t)), 0);
  sendJson(res, 200, {
    id: nextId(),
    object: 'list',
    model: body.model,
    data: inputs.map((t, index) => ({ object: 'embedding', index, embedding: [countTokens(String(t)), 0.5] })),
    usage: { prompt_tokens: tokens, completion_tokens: 0, total_tokens: tokens },
  });
}

export async function startFakeMistralServer(port = 0): Promise<FakeServer> {
  return startServer(async (req: RecordedRequest, res) => {
    const auth = String(req.headers.authorization ?? '');
    if (!/^Bearer \S+/.test(auth)) return sendJson(res, 401, { message: 'Unauthorized' });
    const model = req.body?.model;
    if (model === 'reject-key') return sendJson(res, 401, { message: `Invalid API key: ${auth.slice(7)}` });
    if (model === 'fail-500') return sendJson(res, 500, { object: 'error', message: 'Internal server error', type: 'internal_error' });
    if (model === 'rate-limited') return sendJson(res, 429, { object: 'error', message: 'Requests rate limit exceeded', type: 'rate_limited' });
    if (req.method === 'POST' && req.path === '/v1/chat/completions') return chat(req.body ?? {}, res);
    if (req.method === 'POST' && req.path === '/v1/embeddings') return embeddings(req.body ?? {}, res);
    return sendJson(res, 404, { message: `Unknown route ${req.method} ${req.path}` });
  }, '127.0.0.1', port);
}
