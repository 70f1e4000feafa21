/**
 * A tiny OpenAI-compatible chat completions server on 127.0.0.1 (any free port), so the demo
 * runs offline and free. It "answers" from the context passages in the prompt and asks for the
 * `get_weather` tool when the question is about weather. Token counts are word counts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Message {
  role: string;
  content?: string | null;
  tool_calls?: unknown[];
}

export interface FakeModelServer {
  /** For `new OpenAI({ baseURL })`. */
  baseURL: string;
  close(): Promise<void>;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

function reply(messages: Message[], tools: unknown[] | undefined, model: string, id: number) {
  const user = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const toolResult = [...messages].reverse().find((m) => m.role === 'tool')?.content;
  const question = /Question: (.*)/.exec(user)?.[1] ?? user;
  const passage = /\[1\] (.*)/.exec(user)?.[1];
  let message: Record<string, unknown>;
  if (tools?.length && !toolResult && /weather/i.test(question)) {
    const city = /in ([A-Z][a-z]+)/.exec(question)?.[1] ?? 'Paris';
    message = {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: `call_${id}`, type: 'function', function: { name: 'get_weather', arguments: JSON.stringify({ city }) } }],
    };
  } else {
    const content = toolResult
      ? `The weather service says: ${toolResult}.`
      : passage
        ? `${passage} (source [1])`
        : `I could not find anything about "${question}" in the knowledge base.`;
    message = { role: 'assistant', content };
  }
  const prompt = messages.reduce((n, m) => n + words(m.content ?? ''), 0);
  const completion = words(String(message.content ?? JSON.stringify(message.tool_calls)));
  return {
    id: `chatcmpl-demo-${id}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }],
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  };
}

export async function startFakeModelServer(): Promise<FakeModelServer> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) return send(404, { error: { message: `no route ${req.method} ${req.url}` } });
      try {
        const { messages, tools, model } = JSON.parse(body) as { messages: Message[]; tools?: unknown[]; model: string };
        send(200, reply(messages, tools, model, ++requests));
      } catch (error) {
        send(400, { error: { message: `bad request: ${(error as Error).message}` } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
