/**
 * The chat service shared by the service test programs: Express + tracewright middleware, a
 * POST /chat endpoint answering with a traced TOOL span `lookup`. Prints "listening <port>"; on
 * SIGTERM stops accepting, flushes its traces, runs `onStop` and exits.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { flushTraces, trace } from '@tracewright/runtime';
import { tracewrightExpress } from '@tracewright/runtime/express';

export function serveChat(answer: (question: string) => Promise<string>, onStop: () => Promise<void> = async () => {}): void {
  const lookup = trace(async function lookup(question: string) {
    return answer(question);
  }, { spanType: 'TOOL' });

  const app = express();
  app.use(express.json());
  app.use(tracewrightExpress());
  app.post('/chat', async (req, res) => {
    res.json({ answer: await lookup(String(req.body?.question)) });
  });

  const server = app.listen(0, '127.0.0.1', () => {
    console.log(`listening ${(server.address() as AddressInfo).port}`);
  });
  process.on('SIGTERM', () => {
    server.close(async () => {
      await flushTraces();
      await onStop();
      process.exit(0);
    });
  });
}
