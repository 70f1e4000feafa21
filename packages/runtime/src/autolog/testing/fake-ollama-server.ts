/**
 * A small fake Ollama server on 127.0.0.1: POST /api/chat and /api/generate (JSON, or an
 * `application/x-ndjson` stream of objects, the last with `done: true` and the eval counts),
 * /api/embed and /api/embeddings. A tool call is answered when `tools` are sent and no tool
 * message is in the conversation yet.
 *
 * Scenarios by model name: "fail-500" → 500 `{error}`; "rate-limited" → 429; "slow-stream" →
 * 20 ms between lines. Token counts are word counts.
 */
import type { ServerResponse } from 'node:http';
import { countTokens, pieces, sendJson, startServer, type FakeServer, type RecordedRequest } from './http.js';

type Message = { role?: string; content?: string };

async function sendNdjson(res: ServerResponse, lines: unknown[], delayMs: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  for (const line of lines) {
    if (res.destroyed) return;
    res.write(`${JSON.stringify(line)}\n`);
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  }
  res.end();
}

async function generate(body: any, res: ServerResponse, chat: boolean): Promise<void> {
  const messages: Message[] = chat ? (body.messages ?? []) : [{ role: 'user', content: String(body.prompt ?? '') }];
  const user = messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
  const tool = chat && Array.isArray(body.tools) && body.tools.length > 0 && !messages.some((m) => m.role === 'tool') ? body.tools[0].function : undefined;
  const calls = tool ? [{ function: { name: tool.name, arguments: { query: user } } }] : undefined;
  const text = tool ? '' : `Echo: ${user}`;
  const stats = {
    done: true,
    done_reason: 'stop',
    total_duration: 1000,
    prompt_eval_count: messages.reduce((n, m) => n + countTokens(m.content ?? ''), 0),
    eval_count: countTokens(text) + (tool ? 1 : 0),
  };
  const head = { model: body.model, created_at: new Date().toISOString() };
  const part = (t: string, extra: object = {}) => (chat ? { ...head, message: { role: 'assistant', content: t, ...extra }, done: false } : { ...head, response: t, done: false });
  if (body.stream === false) {
    return sendJson(res, 200, chat ? { ...head, message: { role: 'assistant', content: text, ...(calls ? { tool_calls: calls } : {}) }, ...stats } : { ...head, response: text, ...stats });
  }
  const lines: unknown[] = calls ? [part('', { tool_calls: calls })] : pieces(text).map((p) => part(p));
  lines.push({ ...part(''), ...stats });
  await sendNdjson(res, lines, body.model === 'slow-stream' ? 20 : 0);
}

function embed(body: any, res: ServerResponse, legacy: boolean): void {
  if (legacy) return sendJson(res, 200, { embedding: [countTokens(String(body.prompt ?? '')), 0.5] });
  const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
  sendJson(res, 200, { model: body.model, embeddings: inputs.map((t) => [countTokens(String(t)), 0.5]), prompt_eval_count: inputs.reduce((n, t) => n + countTokens(String(t)), 0) });
}

export async function startFakeOllamaServer(port = 0): Promise<FakeServer> {
  return startServer(async (req: RecordedRequest, res) => {
    const body = req.body ?? {};
    if (body.model === 'fail-500') return sendJson(res, 500, { error: 'model runner has unexpectedly stopped' });
    if (body.model === 'rate-limited') return sendJson(res, 429, { error: 'too many requests' });
    if (req.method !== 'POST') return sendJson(res, 404, { error: 'not found' });
    switch (req.path) {
      case '/api/chat':
        return generate(body, res, true);
      case '/api/generate':
        return generate(body, res, false);
      case '/api/embed':
        return embed(body, res, false);
      case '/api/embeddings':
        return embed(body, res, true);
      default:
        return sendJson(res, 404, { error: `unknown route ${req.path}` });
    }
  }, '127.0.0.1', port);
}
