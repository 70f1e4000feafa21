import { getTracingContextHeaders, withTracingContextFromHeaders } from '../../api/distributed.js';
import { withSpan } from '../../api/spans.js';
import { trace } from '../../api/trace.js';
import { updateCurrentTrace } from '../../api/trace-updates.js';
import type { InMemoryDestination } from '../../export/in-memory.js';
import type { Trace } from '../../model/trace.js';
import { isContinuedPart } from '../remote-parent.js';

const tool = trace(function lookup(q: string) {
  return `result for ${q}`;
}, { spanType: 'TOOL' });

/** The server side of a call: continues the caller's trace, records its root and a tool span, sets the user. */
const serve = (headers: Record<string, string>) =>
  withTracingContextFromHeaders(headers, () =>
    withSpan(() => {
      updateCurrentTrace({ user: 'user-42' });
      return tool('q');
    }, { name: 'POST /chat' }),
  );

/**
 * Records in this process, into `memory`, the traces two processes would write for one
 * distributed trace: the client's root part and one continued part per server call.
 */
export function recordDistributedTrace(memory: InMemoryDestination, serverCalls = 1): { client: Trace; server: Trace[] } {
  withSpan(() => {
    for (let i = 0; i < serverCalls; i++) serve(getTracingContextHeaders() as Record<string, string>);
  }, { name: 'client', spanType: 'AGENT' });
  const client = memory.traces.find((t) => !isContinuedPart(t.info))!;
  const server = memory.traces.filter((t) => t !== client);
  return { client, server };
}
