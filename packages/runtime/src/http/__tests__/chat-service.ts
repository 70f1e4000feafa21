/**
 * Test program: a chat service (Express + tracewright middleware) in its own process. Traces
 * go where MLFLOW_TRACKING_URI says. Prints "listening <port>"; on SIGTERM stops accepting,
 * flushes its traces and exits.
 */
import express from 'express';
import { flushTraces, trace } from '@tracewright/runtime';
import { tracewrightExpress } from '@tracewright/runtime/express';

const lookup = trace(async function lookup(question: string) {
  await new Promise((r) => setImmediate(r));
  return `docs about ${question}`;
}, { spanType: 'TOOL' });

const app = express();
app.use(express.json());
app.use(tracewrightExpress());
app.post('/chat', async (req, res) => {
  res.json({ answer: await lookup(String(req.body?.question)) });
});

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`);
});
process.on('SIGTERM', () => {
  server.close(async () => {
    await flushTraces();
    process.exit(0);
  });
});
