/**
 * Service A: the chat endpoint (Express). The middleware opens each request's root span and
 * records X-User-ID / X-Session-ID; the call to the retrieval service carries the trace
 * context, so its spans land in this request's trace.
 */
import express from 'express';
import { flushTraces, getTracingContextHeaders, trace } from '@tracewright/runtime';
import { tracewrightExpress } from '@tracewright/runtime/express';

const RETRIEVAL_URL = process.env.RETRIEVAL_URL!;

const retrieve = trace(async function retrieve(query: string): Promise<string[]> {
  const response = await fetch(`${RETRIEVAL_URL}/search`, {
    method: 'POST',
    headers: { ...getTracingContextHeaders(), 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return ((await response.json()) as { docs: string[] }).docs;
}, { spanType: 'TOOL' });

const answer = trace(async function answer(question: string) {
  const docs = await retrieve(question);
  return docs.length ? `From ${docs.length} doc(s): ${docs.join('; ')}` : 'No idea.';
}, { spanType: 'AGENT' });

const app = express();
app.use(express.json());
app.use(tracewrightExpress());
app.post('/chat', async (req, res) => {
  res.json({ answer: await answer(String(req.body.question)) });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`gateway listening ${(server.address() as { port: number }).port}`);
});

process.on('SIGTERM', () => server.close(async () => {
  await flushTraces();
  process.exit(0);
}));
