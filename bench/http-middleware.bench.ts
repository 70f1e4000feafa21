/**
 * Overhead per request of the HTTP integrations: the same app (a JSON endpoint whose handler
 * does no traced work, so the figure is the middleware's own cost: request span, headers
 * recorded, user/session, traceparent continued) served bare and with the tracewright
 * middleware, both on 127.0.0.1 in this process, requests paired in random order so machine
 * load hits both sides alike. Reports medians (µs per request over keep-alive fetch). Run alone:
 *   node --conditions=@tracewright/source --import tsx bench/http-middleware.bench.ts
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { InMemoryDestination, setDestination } from '@tracewright/runtime';
import { tracewrightExpress } from '@tracewright/runtime/express';
import { tracewrightFastify } from '@tracewright/runtime/fastify';
import { tracewrightHono } from '@tracewright/runtime/hono';

const N = Number(process.env.BENCH_N ?? 2000);
const HEADERS = {
  'x-user-id': 'user-1',
  'x-session-id': 'session-1',
  authorization: 'Bearer secret',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const urlOf = async (server: Server) => {
  if (!server.listening) await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/chat/7`;
};

const apps: Record<string, (traced: boolean) => Promise<{ url: string; close: () => Promise<unknown> }>> = {
  async express(traced) {
    const app = express();
    if (traced) app.use(tracewrightExpress());
    app.get('/chat/:id', (req, res) => void res.json({ id: req.params.id }));
    const server = app.listen(0, '127.0.0.1');
    return { url: await urlOf(server), close: () => new Promise((r) => server.close(r)) };
  },
  async fastify(traced) {
    const app = Fastify();
    if (traced) await app.register(tracewrightFastify());
    app.get<{ Params: { id: string } }>('/chat/:id', async (req) => ({ id: req.params.id }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/chat/7`, close: () => app.close() };
  },
  async hono(traced) {
    const app = new Hono();
    if (traced) app.use(tracewrightHono());
    app.get('/chat/:id', (c) => c.json({ id: c.req.param('id') }));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    return { url: await urlOf(server), close: () => new Promise((r) => server.close(r)) };
  },
};

async function main() {
  const memory = new InMemoryDestination();
  setDestination(memory);
  console.log(`\n## HTTP middleware overhead (${N} paired requests per framework, keep-alive fetch, µs per request)`);
  for (const [name, start] of Object.entries(apps)) {
    const [bare, traced] = [await start(false), await start(true)];
    const request = async (url: string) => {
      const t0 = process.hrtime.bigint();
      const response = await fetch(url, { headers: HEADERS });
      await response.arrayBuffer();
      return Number(process.hrtime.bigint() - t0) / 1000;
    };
    for (let i = 0; i < 300; i++) await Promise.all([request(bare.url), request(traced.url)]); // warm-up
    const times = { bare: [] as number[], traced: [] as number[] };
    for (let i = 0; i < N; i++) {
      const order = Math.random() < 0.5 ? (['bare', 'traced'] as const) : (['traced', 'bare'] as const);
      for (const side of order) times[side].push(await request(side === 'bare' ? bare.url : traced.url));
      if (memory.traces.length > 1000) memory.clear();
    }
    const [b, t] = [median(times.bare), median(times.traced)];
    console.log(`  ${name.padEnd(8)} bare ${b.toFixed(1).padStart(7)} µs   traced ${t.toFixed(1).padStart(7)} µs   overhead ${(t - b).toFixed(1).padStart(6)} µs/request (${(t / b).toFixed(2)}x)`);
    await Promise.all([bare.close(), traced.close()]);
  }
  process.exit(0);
}

await main();
