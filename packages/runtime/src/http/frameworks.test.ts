/**
 * The HTTP integrations from the outside: real Express, Fastify, Hono (@hono/node-server) and
 * NestJS apps from npm on 127.0.0.1, each served untraced and with the tracewright middleware.
 * Responses must be identical; the traces must have the request root span (continuing an
 * incoming traceparent, a fresh trace for a hostile one), the handler's tool span under it,
 * method/route/status, user and session, and no secret header anywhere.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { trace } from '../api/trace.js';
import { importCompiled } from '../core/__tests__/compile.js';
import { useMemoryDestination } from '../core/__tests__/memory.js';
import { waitFor } from '../exporters/testing/wait.js';
import { TRACE_USER_KEY, TRACE_SESSION_KEY } from '../model/constants.js';
import type { Span } from '../model/span.js';
import type { Trace } from '../model/trace.js';
import { tracewrightExpress } from './express.js';
import { tracewrightFastify } from './fastify.js';
import { tracewrightHono } from './hono.js';
import type { HttpTracingOptions } from './request-span.js';

const memory = useMemoryDestination();

const lookup = trace(async function lookup(id: string) {
  await new Promise((r) => setImmediate(r));
  return `answer-${id}`;
}, { spanType: 'TOOL' });

const OPTIONS: HttpTracingOptions = { secretHeaders: ['X-Internal-Token'] };
const SET_COOKIE = 'sid=SECRET-SET-COOKIE; HttpOnly';

interface App {
  url: string;
  close(): Promise<void>;
}

const listening = async (server: Server): Promise<string> => {
  if (!server.listening) await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const closing = (server: Server) => () => new Promise<void>((r) => server.close(() => r()));

const frameworks: Record<string, { route: string; name: string; start(traced: boolean): Promise<App> }> = {
  express: {
    route: '/chat/:id',
    name: 'GET /chat/42',
    async start(traced) {
      const app = express();
      app.set('env', 'production'); // error pages without stacks (a stack shows every middleware)
      if (traced) app.use(tracewrightExpress(OPTIONS));
      app.get('/chat/:id', async (req, res) => {
        const answer = await lookup(req.params.id);
        res.setHeader('set-cookie', SET_COOKIE);
        res.json({ id: req.params.id, answer });
      });
      app.get('/fail', () => {
        throw new Error('kaput');
      });
      const server = app.listen(0, '127.0.0.1');
      return { url: await listening(server), close: closing(server) };
    },
  },
  fastify: {
    route: '/chat/:id',
    name: 'GET /chat/:id',
    async start(traced) {
      const app = Fastify();
      if (traced) await app.register(tracewrightFastify(OPTIONS));
      app.get<{ Params: { id: string } }>('/chat/:id', async (req, reply) => {
        const answer = await lookup(req.params.id);
        reply.header('set-cookie', SET_COOKIE);
        return { id: req.params.id, answer };
      });
      app.get('/fail', async () => {
        throw new Error('kaput');
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, close: () => app.close() };
    },
  },
  hono: {
    route: '/chat/:id',
    name: 'GET /chat/42',
    async start(traced) {
      const app = new Hono();
      if (traced) app.use(tracewrightHono(OPTIONS));
      app.get('/chat/:id', async (c) => {
        const answer = await lookup(c.req.param('id'));
        c.header('set-cookie', SET_COOKIE);
        return c.json({ id: c.req.param('id'), answer });
      });
      app.get('/fail', () => {
        throw new Error('kaput');
      });
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
      return { url: await listening(server), close: closing(server) };
    },
  },
  nestjs: {
    route: '/chat/:id',
    name: 'GET /chat/:id',
    async start(traced) {
      const mod = await importCompiled(NEST_APP, { experimentalDecorators: true, emitDecoratorMetadata: true });
      const app = await mod.start(traced, OPTIONS, lookup);
      return { url: await app.getUrl().then((u: string) => u.replace('[::1]', '127.0.0.1')), close: () => app.close() };
    },
  },
};

const NEST_APP = `
import 'reflect-metadata';
import { Controller, Get, Module, Param, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TracewrightInterceptor } from '@tracewright/runtime/nestjs';

let lookup;

@Controller()
class ChatController {
  @Get('chat/:id')
  async chat(@Param('id') id, @Res({ passthrough: true }) res) {
    const answer = await lookup(id);
    res.setHeader('set-cookie', ${JSON.stringify(SET_COOKIE)});
    return { id, answer };
  }
  @Get('fail')
  fail() {
    throw new Error('kaput');
  }
}

@Module({ controllers: [ChatController] })
class AppModule {}

export async function start(traced, options, tool) {
  lookup = tool;
  const app = await NestFactory.create(AppModule, { logger: false });
  if (traced) app.useGlobalInterceptors(new TracewrightInterceptor(options));
  await app.listen(0, '127.0.0.1');
  return app;
}
`;

const SECRET_HEADERS = {
  Authorization: 'Bearer SECRET-BEARER',
  Cookie: 'session=SECRET-COOKIE',
  'X-Internal-Token': 'SECRET-INTERNAL',
};

interface Reply {
  status: number;
  body: string;
  setCookie: string | null;
  contentType: string | null;
}

async function get(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(url, { headers });
  return { status: response.status, body: await response.text(), setCookie: response.headers.get('set-cookie'), contentType: response.headers.get('content-type') };
}

const attr = (span: Span, key: string): unknown => span.attributes[key];

/** The first trace after the first `before` with a request span (the untraced app's tool calls make traces too). */
async function nextTrace(before: number): Promise<Trace> {
  const requestTraces = () => memory.traces.slice(before).filter((t) => t.data.spans.some((s) => s.attributes['http.request.method'] !== undefined));
  await waitFor(() => requestTraces().length > 0, 'the request trace');
  return requestTraces()[0]!;
}

const TRACE_HEX = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';

for (const [framework, spec] of Object.entries(frameworks)) {
  describe(`${framework} integration`, () => {
    let plain: App;
    let traced: App;
    beforeAll(async () => {
      [plain, traced] = await Promise.all([spec.start(false), spec.start(true)]);
    });
    afterAll(async () => {
      await Promise.all([plain?.close(), traced?.close()]);
    });

    test('responses are identical traced and untraced; one trace: request root span → tool span, user/session, no secrets', async () => {
      const headers = { 'X-User-ID': 'user-7', 'X-Session-ID': 'session-9', 'X-Other': 'visible', ...SECRET_HEADERS };
      const before = memory.traces.length;
      const [a, b] = [await get(`${plain.url}/chat/42?token=SECRET-QUERY`, headers), await get(`${traced.url}/chat/42?token=SECRET-QUERY`, headers)];
      expect(b).toEqual(a);
      expect(a.status).toBe(200);
      const t = await nextTrace(before);
      const root = t.data.spans.find((s) => s.parentId === null)!;
      expect(root.name).toBe(spec.name);
      expect(attr(root, 'http.request.method')).toBe('GET');
      expect(attr(root, 'http.route')).toBe(spec.route);
      expect(attr(root, 'url.path')).toBe('/chat/42');
      expect(attr(root, 'http.response.status_code')).toBe(200);
      expect(root.status.statusCode).toBe('STATUS_CODE_OK');
      const tool = t.data.spans.find((s) => s.name === 'lookup')!;
      expect(tool.parentId).toBe(root.spanId);
      expect(t.info.traceMetadata[TRACE_USER_KEY]).toBe('user-7');
      expect(t.info.traceMetadata[TRACE_SESSION_KEY]).toBe('session-9');
      expect((root.inputs as { headers: Record<string, string> }).headers['x-other']).toBe('visible');
      expect(JSON.stringify({ info: t.info, spans: t.data.spans.map((s) => s.attributes) })).not.toMatch(/SECRET/);
    });

    test('an incoming traceparent is continued: same trace id, root under the caller span', async () => {
      const before = memory.traces.length;
      await get(`${traced.url}/chat/1`, { traceparent: `00-${TRACE_HEX}-${CALLER_SPAN}-01` });
      const t = await nextTrace(before);
      expect(t.info.traceId).toBe(`tr-${TRACE_HEX}`);
      const root = t.data.spans.find((s) => s.parentId === CALLER_SPAN)!;
      expect(root).toBeDefined();
      expect(t.data.spans.find((s) => s.name === 'lookup')!.parentId).toBe(root.spanId);
    });

    test('a hostile traceparent starts a fresh trace; a not-sampled one records nothing', async () => {
      const before = memory.traces.length;
      const reply = await get(`${traced.url}/chat/2`, { traceparent: `ff-${TRACE_HEX}-${CALLER_SPAN}-01`, tracestate: 'x='.padEnd(9_000, 'y') });
      expect(reply.status).toBe(200);
      const t = await nextTrace(before);
      expect(t.info.traceId).not.toBe(`tr-${TRACE_HEX}`);
      expect(t.data.spans.find((s) => s.name === 'lookup')!.parentId).toBe(t.data.spans.find((s) => s.parentId === null)!.spanId);
      const afterHostile = memory.traces.length;
      await get(`${traced.url}/chat/3`, { traceparent: `00-${TRACE_HEX}-${CALLER_SPAN}-00` });
      await get(`${traced.url}/chat/4`);
      const last = await nextTrace(afterHostile);
      expect(attr(last.data.spans.find((s) => s.parentId === null)!, 'url.path')).toBe('/chat/4');
      expect(memory.traces).toHaveLength(afterHostile + 1);
    });

    test('a failing handler: same 500 response, the span is an error with status 500', async () => {
      const before = memory.traces.length;
      const [a, b] = [await get(`${plain.url}/fail`), await get(`${traced.url}/fail`)];
      expect(b).toEqual(a);
      expect(a.status).toBe(500);
      const t = await nextTrace(before);
      const root = t.data.spans.find((s) => s.parentId === null)!;
      expect(attr(root, 'http.response.status_code')).toBe(500);
      expect(root.status.statusCode).toBe('STATUS_CODE_ERROR');
    });
  });
}
