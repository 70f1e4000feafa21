/**
 * Test program: calls the chat service from its own process, one request per argument after
 * the URL, each inside a traced span of its own. "propagate": the request carries this
 * process's trace context; anything else is sent as the raw traceparent value instead.
 * Prints "trace <id> status <http status>" per request.
 */
import { flushTraces, getTracingContextHeaders, withSpan } from '@tracewright/runtime';

const [url, ...modes] = process.argv.slice(2);

for (const mode of modes) {
  await withSpan(async (span) => {
    const context = mode === 'propagate' ? getTracingContextHeaders() : { traceparent: mode };
    const response = await fetch(`${url}/chat`, {
      method: 'POST',
      headers: { ...context, 'content-type': 'application/json', 'x-user-id': 'user-1' },
      body: JSON.stringify({ question: 'tracing' }),
    });
    await response.text();
    console.log(`trace ${span.traceId} status ${response.status}`);
  }, { name: 'client', spanType: 'AGENT' });
}
await flushTraces();
