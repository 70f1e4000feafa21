/**
 * Test-only: real loopback servers (127.0.0.1, no DNS) that fail the way production backends
 * do. Each one reads the client's request like a real HTTP server would, then misbehaves.
 */
import net, { type AddressInfo, type Socket } from 'node:net';
import { startFakeMlflowServer } from './fake-mlflow-server.js';

export type FailureShape = 'refused' | 'hung' | 'slow' | 'half-closed' | 'mid-response' | 'trickle';

export const FAILURE_SHAPES: readonly FailureShape[] = ['refused', 'hung', 'slow', 'half-closed', 'mid-response', 'trickle'];

export interface FailureServer {
  readonly shape: FailureShape;
  /** Base URL (tracking URI / OTLP origin). */
  readonly url: string;
  close(): Promise<void>;
}

/** How late the "slow" server answers (longer than the exit budget, shorter than any default timeout). */
export const SLOW_ANSWER_MS = 8_000;

export async function startFailureServer(shape: FailureShape): Promise<FailureServer> {
  if (shape === 'slow') {
    // The real MLflow protocol, just late: every request is answered correctly after 8 s.
    const server = await startFakeMlflowServer();
    server.inject(() => true, { kind: 'delay', ms: SLOW_ANSWER_MS }, Number.MAX_SAFE_INTEGER);
    return { shape, url: server.url, close: () => server.close() };
  }
  if (shape === 'refused') {
    // A port that was just free: nothing listens, connects are refused at once.
    const probe = await listen(() => undefined);
    await probe.close();
    return { shape, url: probe.url, close: async () => undefined };
  }
  const behave: Record<Exclude<FailureShape, 'slow' | 'refused'>, (socket: Socket) => void> = {
    // Accepts, reads forever, never writes a byte.
    hung: (socket) => socket.resume(),
    // Ends its write side (FIN) once the request arrived, keeps reading, never answers.
    'half-closed': (socket) => onRequest(socket, () => socket.end()),
    // Starts a valid answer, then closes the connection with half the body unsent.
    'mid-response': (socket) =>
      onRequest(socket, () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"experiment": {"exper');
        setTimeout(() => socket.end(), 20);
      }),
    // Answers 200 with a 1 MB body, one byte every 200 ms: always busy, never done.
    trickle: (socket) =>
      onRequest(socket, () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000000\r\n\r\n');
        const timer = setInterval(() => socket.write(' '), 200);
        socket.on('close', () => clearInterval(timer));
      }),
  };
  const server = await listen(behave[shape]);
  return { shape, url: server.url, close: server.close };
}

/** Calls `then` once per connection, when the end of the first request's headers arrived. */
function onRequest(socket: Socket, then: () => void): void {
  let seen = '';
  const onData = (chunk: Buffer) => {
    seen += chunk.toString('latin1');
    if (!seen.includes('\r\n\r\n')) return;
    socket.off('data', onData);
    socket.resume(); // keep draining the body, like a server that is busy answering
    then();
  };
  socket.on('data', onData);
}

async function listen(onConnection: (socket: Socket) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined); // the client aborting is the expected outcome
    onConnection(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
