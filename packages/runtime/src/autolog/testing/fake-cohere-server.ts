/**
 * A small fake Cohere v2 server on 127.0.0.1: POST /v2/chat (JSON, or SSE of typed events
 * message-start … message-end with `stream: true`), /v2/embed and /v2/rerank (documents scored
 * by words shared with the query). A tool call is answered when `tools` are sent and no tool
 * message is in the conversation yet.
 *
 * Scenarios by model name: "fail-500" → 500; "rate-limited" → 429; "reject-key" → 401 quoting
 * the key back; "slow-stream" → 20 ms between events. Requests without `Authorization: Bearer`
 * get 401. Token counts are word counts.
 */
import type { ServerResponse } from 'node:http';
import { countTokens, pieces, sendJson, sendSse, startServer, type FakeServer, type RecordedRequest } from './http.js';

type Message = { role?: string; content?: unknown };
const textOf = (c: unknown) => (typeof c === 'string' ? c : Array.isArray(c) ? c.map((p) => p?.text ?? '').join(' ') : '');
let counter = 0;
const nextId = () => `c0h${(++counter).toString(36).padStart(6, '0')}`;

async function chat(body: any, res: ServerResponse): Promise<void> {
  const messages: Message[] = body.messages ?? [];
  const user = textOf(messages.filter((m) => m.role === 'user').at(-1)?.content);
  const tool = Array.isArray(body.tools) && body.tools.length > 0 && !messages.some((m) => m.role === 'tool') ? body.tools[0].function : undefined;
  const call = tool ? { id: 'call_1', type: 'function', function: { name: tool.name, arguments: JSON.stringify({ query: user }) } } : undefined;
  const text = call ? '' : `Echo: ${user}`;
  const input = messages.reduce((n, m) => n + countTokens(textOf(m.content)), 0);
  const output = call ? 2 : countTokens(text);
  const usage = { billed_units: { input_tokens: input, output_tokens: output }, tokens: { input_tokens: input + 10, output_tokens: output } };
  const id = nextId();
  const finish = call ? 'TOOL_CALL' : 'COMPLETE';
  if (!body.stream) {
    const message = { role: 'assistant', ...(call ? { tool_plan: 'I will search.', tool_calls: [call] } : { content: [{ type: 'text', text }] }) };
    return sendJson(res, 200, { id, finish_reason: finish, message, usage });
  }
  const ev = (type: string, data: object = {}) => ({ event: type, data: { type, ...data } });
  const events = [ev('message-start', { id, delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } } })];
  if (call) {
    events.push(ev('tool-plan-delta', { delta: { message: { tool_plan: 'I will search.' } } }));
    const half = Math.ceil(call.function.arguments.length / 2);
    events.push(ev('tool-call-start', { index: 0, delta: { message: { tool_calls: { ...call, function: { name: call.function.name, arguments: call.function.arguments.slice(0, half) } } } } }));
    events.push(ev('tool-call-delta', { index: 0, delta: { message: { tool_calls: { function: { arguments: call.function.arguments.slice(half) } } } } }));
    events.push(ev('tool-call-end', { index: 0 }));
  } else {
    events.push(ev('content-start', { index: 0, delta: { message: { content: { type: 'text', text: '' } } } }));
    for (const p of pieces(text)) events.push(ev('content-delta', { index: 0, delta: { message: { content: { text: p } } } }));
    events.push(ev('content-end', { index: 0 }));
  }
  events.push(ev('message-end', { delta: { finish_reason: finish, usage } }));
  await sendSse(res, events, body.model === 'slow-stream' ? 20 : 0);
}

function embed(body: any, res: ServerResponse): void {
  const texts: string[] = body.texts ?? [];
  const tokens = texts.reduce((n, t) => n + countTokens(t), 0);
  sendJson(res, 200, {
    id: nextId(),
    response_type: 'embeddings_by_type',
    embeddings: { float: texts.map((t) => [countTokens(t), 0.5]) },
    texts,
    meta: { api_version: { version: '2' }, billed_units: { input_tokens: tokens } },
  });
}

function rerank(body: any, res: ServerResponse): void {
  const words = new Set(String(body.query ?? '').toLowerCase().split(/\s+/));
  const docs: unknown[] = body.documents ?? [];
  const scored = docs.map((d, index) => {
    const text = typeof d === 'string' ? d : JSON.stringify(d);
    const shared = text.toLowerCase().split(/\W+/).filter((w) => words.has(w)).length;
    return { index, relevance_score: Math.round((shared / (words.size || 1)) * 1000) / 1000 };
  });
  scored.sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index);
  sendJson(res, 200, { id: nextId(), results: scored.slice(0, body.top_n ?? scored.length), meta: { api_version: { version: '2' }, billed_units: { search_units: 1 } } });
}

export async function startFakeCohereServer(port = 0): Promise<FakeServer> {
  return startServer(async (req: RecordedRequest, res) => {
    const auth = String(req.headers.authorization ?? '');
    if (!/^Bearer \S+/.test(auth)) return sendJson(res, 401, { message: 'no api key supplied' });
    const model = req.body?.model;
    if (model === 'reject-key') return sendJson(res, 401, { message: `invalid api token: ${auth.slice(7)}` });
    if (model === 'fail-500') return sendJson(res, 500, { message: 'internal server error' });
    if (model === 'rate-limited') return sendJson(res, 429, { message: 'You are using a Trial key, which is limited to 10 API calls / minute.' });
    if (req.method !== 'POST') return sendJson(res, 404, { message: 'not found' });
    if (req.path === '/v2/chat') return chat(req.body ?? {}, res);
    if (req.path === '/v2/embed') return embed(req.body ?? {}, res);
    if (req.path === '/v2/rerank') return rerank(req.body ?? {}, res);
    return sendJson(res, 404, { message: `unknown route ${req.path}` });
  }, '127.0.0.1', port);
}
