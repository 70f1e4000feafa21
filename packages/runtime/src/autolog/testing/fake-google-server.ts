/**
 * A small fake Gemini API (generativelanguage) server on 127.0.0.1: POST
 * `/{version}/models/{model}:generateContent` (JSON), `:streamGenerateContent?alt=sse` (SSE,
 * one `GenerateContentResponse` per event) and `:batchEmbedContents`. A `functionCall` part is
 * answered when function declarations are sent and the conversation has no `functionResponse` yet.
 *
 * Scenarios by model name: "fail-500" → 500 INTERNAL; "rate-limited" → 429 RESOURCE_EXHAUSTED; "reject-key" → 400 quoting the key back;
 * "slow-stream" → 20 ms between events; "thinking" adds thoughtsTokenCount; "cached" adds
 * cachedContentTokenCount. Requests without `x-goog-api-key` get 401. Token counts are word counts.
 */
import type { ServerResponse } from 'node:http';
import { countTokens, pieces, sendJson, sendSse, startServer, type FakeServer, type RecordedRequest } from './http.js';

type Part = { text?: string; functionCall?: unknown; functionResponse?: unknown };
type Content = { role?: string; parts?: Part[] };

const textOf = (c: Content | undefined) => (c?.parts ?? []).map((p) => p.text ?? '').join(' ');

function error(res: ServerResponse, code: number, status: string, message: string): void {
  sendJson(res, code, { error: { code, message, status } });
}

async function generate(model: string, body: any, res: ServerResponse, stream: boolean, key: string): Promise<void> {
  // Like servers that quote the rejected credential back in the error message.
  if (model === 'reject-key') return error(res, 400, 'INVALID_ARGUMENT', `API key not valid: ${key}`);
  if (model === 'fail-500') return error(res, 500, 'INTERNAL', 'Internal error encountered.');
  if (model === 'rate-limited') return error(res, 429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).');
  const contents: Content[] = body.contents ?? [];
  const user = textOf(contents.filter((c) => c.role !== 'model').at(-1));
  const declarations = (body.tools ?? []).flatMap((t: any) => t.functionDeclarations ?? []);
  const answered = contents.some((c) => c.parts?.some((p) => p.functionResponse));
  const call = declarations.length > 0 && !answered ? { name: declarations[0].name, args: { query: user } } : undefined;
  const text = call ? 'Calling a tool.' : `Echo: ${user}`;
  const usageMetadata: Record<string, unknown> = {
    promptTokenCount: contents.reduce((n, c) => n + countTokens(textOf(c)), 0),
    candidatesTokenCount: countTokens(text) + (call ? 1 : 0),
  };
  if (model.includes('thinking')) usageMetadata.thoughtsTokenCount = 5;
  if (model.includes('cached')) usageMetadata.cachedContentTokenCount = 2;
  usageMetadata.totalTokenCount = (usageMetadata.promptTokenCount as number) + (usageMetadata.candidatesTokenCount as number) + ((usageMetadata.thoughtsTokenCount as number) ?? 0);
  const head = { modelVersion: `${model}-001`, responseId: `resp-${Math.random().toString(36).slice(2, 10)}` };
  const parts: Part[] = [{ text }, ...(call ? [{ functionCall: call }] : [])];
  if (!stream) {
    return sendJson(res, 200, { candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }], usageMetadata, ...head });
  }
  const words = pieces(text);
  const events = words.map((w, i) => ({
    data: {
      candidates: [{ content: { role: 'model', parts: [{ text: w }, ...(call && i === words.length - 1 ? [{ functionCall: call }] : [])] }, ...(i === words.length - 1 ? { finishReason: 'STOP' } : {}), index: 0 }],
      ...(i === words.length - 1 ? { usageMetadata } : {}),
      ...head,
    },
  }));
  await sendSse(res, events, model === 'slow-stream' ? 20 : 0);
}

function embed(body: any, res: ServerResponse): void {
  const requests: Array<{ content?: Content }> = body.requests ?? [];
  sendJson(res, 200, { embeddings: requests.map((r) => ({ values: [countTokens(textOf(r.content)), 0.5, -0.25] })) });
}

export async function startFakeGoogleServer(port = 0): Promise<FakeServer> {
  return startServer(async (req: RecordedRequest, res) => {
    if (!req.headers['x-goog-api-key']) return error(res, 401, 'UNAUTHENTICATED', 'API key not valid. Please pass a valid API key.');
    const match = /\/models\/([^/:]+):(\w+)$/.exec(req.path);
    if (req.method !== 'POST' || !match) return error(res, 404, 'NOT_FOUND', `Unknown route ${req.method} ${req.path}`);
    const [, model, method] = match;
    const key = String(req.headers['x-goog-api-key']);
    if (method === 'generateContent') return generate(model!, req.body ?? {}, res, false, key);
    if (method === 'streamGenerateContent') return generate(model!, req.body ?? {}, res, true, key);
    if (method === 'batchEmbedContents') return embed(req.body ?? {}, res);
    return error(res, 404, 'NOT_FOUND', `Unknown method ${method}`);
  }, '127.0.0.1', port);
}
