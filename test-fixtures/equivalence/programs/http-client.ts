// An API client on ky against a loopback HTTP server. ky returns a promise with its own
// `.json()`/`.text()` methods; each call makes exactly one request.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import ky, { HTTPError } from 'ky';
import { attemptAsync, type Log } from './_support.js';

class UserApi {
  constructor(private readonly base: string) {}

  //<traced>
  getUser(id: number) {
    return ky.get(`${this.base}/users/${id}`, { retry: 0 });
  }

  //<traced>
  async getUserName(id: number): Promise<string> {
    const user = await ky.get(`${this.base}/users/${id}`, { retry: 0 }).json<{ name: string }>();
    return user.name;
  }
}

export async function main(log: Log) {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const id = Number(req.url!.split('/').pop());
    if (id === 404) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no such user"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, name: `user${id}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const api = new UserApi(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  try {
    const pending = api.getUser(1);
    log(['returned promise has .json()', typeof (pending as { json?: unknown }).json]);
    await attemptAsync(log, 'getUser(1).json()', () => pending.json());
    await attemptAsync(log, 'getUser(2).text()', () => api.getUser(2).text());
    await attemptAsync(log, 'getUser(3) response', async () => {
      const response = await api.getUser(3);
      return [response.status, await response.json()];
    });
    await attemptAsync(log, 'getUserName(4)', () => api.getUserName(4));
    await attemptAsync(log, 'getUser(404).json()', async () => {
      try {
        return await api.getUser(404).json();
      } catch (error) {
        return error instanceof HTTPError ? ['HTTPError', error.response.status] : Promise.reject(error);
      }
    });
    log(['requests', requests]);
  } finally {
    server.close();
  }
}
