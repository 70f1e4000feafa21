/**
 * Background exchanges against a real loopback server that accepts and never answers: they
 * hold the event loop only while their group is held, and a group deadline cuts them short
 * (socket destroyed), including the ones already in flight.
 */
import net, { type AddressInfo, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../testing/wait.js';
import { httpRequest, HttpNetworkError } from './request.js';
import { RequestGroup } from './request-group.js';

let server: net.Server;
let url: string;
const accepted: Socket[] = [];
const closed: Socket[] = [];

beforeEach(async () => {
  accepted.length = 0;
  closed.length = 0;
  server = net.createServer((socket) => {
    accepted.push(socket);
    socket.on('close', () => closed.push(socket));
    socket.resume(); // reads the request, never answers
    // Only the client side may count in the loop's active handles below.
    socket.unref();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
});

afterEach(async () => {
  for (const socket of accepted) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** TCP sockets keeping the event loop alive (the server's own are unref'd above, so: the client's). */
const keepingAlive = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;

describe('request groups', () => {
  it('an unheld exchange keeps nothing alive; holding the group makes its socket hold the process', async () => {
    const group = new RequestGroup();
    const outcome = httpRequest({ method: 'POST', url, body: 'x', timeoutMs: 30_000, group }).catch((e: unknown) => e);
    await waitFor(() => accepted.length === 1, 'the connection');
    expect(keepingAlive()).toBe(0);
    group.hold(true);
    expect(keepingAlive()).toBe(1);
    group.hold(false);
    expect(keepingAlive()).toBe(0);
    group.limitTo({ at: Date.now(), what: 'the test budget' });
    expect(await outcome).toBeInstanceOf(HttpNetworkError);
  });

  it('a deadline set while the exchange is in flight cuts it short, destroys the socket and names the limit', async () => {
    const group = new RequestGroup();
    group.hold(true);
    const started = Date.now();
    const outcome = httpRequest({ method: 'GET', url, timeoutMs: 30_000, group }).catch((e: unknown) => e);
    await waitFor(() => accepted.length === 1, 'the connection');
    group.limitTo({ at: Date.now() + 200, what: 'the 0.2 s test budget' });
    const error = (await outcome) as HttpNetworkError;
    expect(error).toBeInstanceOf(HttpNetworkError);
    expect(error.code).toBe('ETIMEDOUT');
    expect(error.message).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/v1\/traces: no complete answer within the 0\.2 s test budget/);
    expect(Date.now() - started).toBeLessThan(5_000);
    await waitFor(() => closed.length === 1, 'the server to see the connection closed');
  });

  it('once the deadline has passed, a request fails at once without touching the network', async () => {
    const group = new RequestGroup();
    group.limitTo({ at: Date.now() - 1, what: 'the spent budget' });
    await expect(httpRequest({ method: 'POST', url, body: 'x', timeoutMs: 30_000, group })).rejects.toThrow(/no complete answer within the spent budget/);
    await new Promise((r) => setTimeout(r, 50));
    expect(accepted).toHaveLength(0);
  });

  it('the request’s own timeout still applies when it is the sooner one; lifting the limit restores it', async () => {
    const group = new RequestGroup();
    group.limitTo({ at: Date.now() + 60_000, what: 'a far budget' });
    await expect(httpRequest({ method: 'GET', url, timeoutMs: 150, group })).rejects.toThrow(/timed out after 150 ms/);
    group.limitTo({ at: Date.now() + 100, what: 'a near budget' });
    group.limitTo(undefined);
    await expect(httpRequest({ method: 'GET', url, timeoutMs: 300, group })).rejects.toThrow(/timed out after 300 ms/);
  });

  it('a request without a group (the caller’s own) holds the process like fetch and ignores group deadlines', async () => {
    const outcome = httpRequest({ method: 'GET', url, timeoutMs: 400 }).catch((e: unknown) => e);
    await waitFor(() => accepted.length === 1, 'the connection');
    expect(keepingAlive()).toBe(1);
    expect(String(await outcome)).toMatch(/timed out after 400 ms/);
  });
});
