/** Service B: document search (Fastify). Its spans join the caller's trace through the tracewright plugin. */
import Fastify from 'fastify';
import { flushTraces, trace } from '@tracewright/runtime';
import { tracewrightFastify } from '@tracewright/runtime/fastify';

const DOCS = ['traceparent carries the trace id and the caller span id', 'tracestate carries vendor data', 'sampled flag: 01'];

const searchDocs = trace(async function searchDocs(query: string) {
  const words = query.toLowerCase().split(/\W+/);
  return DOCS.filter((d) => words.some((w) => w && d.includes(w)));
}, { spanType: 'RETRIEVER' });

const app = Fastify();
await app.register(tracewrightFastify());
app.post<{ Body: { query: string } }>('/search', async (req) => ({ docs: await searchDocs(req.body.query) }));
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log(`retrieval listening ${(app.server.address() as { port: number }).port}`);

process.on('SIGTERM', async () => {
  await app.close();
  await flushTraces();
  process.exit(0);
});
