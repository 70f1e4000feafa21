import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useMemoryDestination } from '../core/__tests__/memory.js';
import { propagateTraceContext } from './client-propagation.js';
import { withSpan } from './spans.js';

useMemoryDestination();

// Answers with the traceparent / x-app headers it received.
let server: http.Server;
let url: string;
beforeAll(async () => {
  server = http.createServer((req, res) => res.end(JSON.stringify({ traceparent: req.headers.traceparent ?? null, app: req.headers['x-app'] ?? null })));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((r) => server.close(r)));

const viaFetch = async (init?: RequestInit, input: string | Request = url) => (await (await fetch(input, init)).json()) as { traceparent: string | null; app: string | null };
const viaHttp = (...args: unknown[]) =>
  new Promise<{ traceparent: string | null; app: string | null }>((resolve, reject) => {
    const req = (http.get as (...a: unknown[]) => http.ClientRequest)(...args, (res: http.IncomingMessage) => {
      let body = '';
      res.on('data', (c) => (body += c)).on('end', () => resolve(JSON.parse(body)));
    });
    req.on('error', reject);
  });

describe('propagateTraceContext (opt-in)', () => {
  test('fetch and http inside a span carry the span as traceparent; outside, and once stopped, nothing is added', async () => {
    expect((await viaFetch()).traceparent).toBeNull();
    const stop = propagateTraceContext({ http: true });
    try {
      expect((await viaFetch()).traceparent).toBeNull();
      await withSpan(async (span) => {
        const expected = `00-${span.traceId.slice(3)}-${span.spanId}-01`;
        const init = { headers: { 'x-app': '1' } };
        expect(await viaFetch(init)).toEqual({ traceparent: expected, app: '1' });
        expect(init).toEqual({ headers: { 'x-app': '1' } }); // the program's object is untouched
        expect(await viaFetch(undefined, new Request(url, { headers: { 'x-app': '2' } }))).toEqual({ traceparent: expected, app: '2' });
        expect((await viaFetch({ headers: { traceparent: `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01` } })).traceparent).toBe(`00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`);
        const options = { headers: { 'x-app': '3' } };
        expect(await viaHttp(url, options)).toEqual({ traceparent: expected, app: '3' });
        expect(options).toEqual({ headers: { 'x-app': '3' } });
        expect((await viaHttp(url)).traceparent).toBe(expected);
        expect((await viaHttp(new URL(url))).traceparent).toBe(expected);
      }, { name: 'client' });
    } finally {
      stop();
    }
    await withSpan(async () => {
      expect((await viaFetch()).traceparent).toBeNull();
      expect((await viaHttp(url)).traceparent).toBeNull();
    }, { name: 'after' });
  });
});
