/**
 * For SDK test programmes run as a child process (e.g. under Node 22): each scenario's result
 * (or the error it threw, described) with the traces it produced, as JSON the parent test reads.
 */
import type { InMemoryDestination } from '../../export/in-memory.js';
import { traceToJsonText } from '../../model/json.js';
import type { Trace } from '../../model/trace.js';
import { traceTokenUsage } from './traces.js';

export function scenarioRunner<V>(memory: InMemoryDestination, view: (trace: Trace) => V, describeError: (error: unknown) => unknown) {
  return async function scenario(run: () => Promise<unknown>): Promise<{ out: unknown; traces: V[] }> {
    memory.clear();
    let out: unknown;
    try {
      out = await run();
    } catch (error) {
      out = describeError(error);
    }
    // A streamed span ends when its stream is consumed; the trace reaches the destination right after.
    for (let i = 0; i < 2000 && memory.traces.length === 0; i++) await new Promise((r) => setImmediate(r));
    return { out, traces: memory.traces.map(view) };
  };
}

/** Each span of a trace with what a child's test checks (its parent by name), the trace's usage, and whether `secret` appears anywhere in it. */
export function traceSummary(t: Trace, secret: string) {
  return {
    spans: t.data.spans.map((s) => {
      const exception = s.events.find((e) => e.name === 'exception')?.attributes;
      return {
        name: s.name,
        type: s.spanType,
        parent: t.data.spans.find((p) => p.spanId === s.parentId)?.name ?? null,
        status: s.status.statusCode.replace('STATUS_CODE_', ''),
        inputs: s.inputs,
        outputs: s.outputs,
        attributes: s.attributes,
        tokenUsage: s.tokenUsage,
        exception: exception?.['exception.type'],
        exceptionMessage: exception?.['exception.message'],
      };
    }),
    usage: traceTokenUsage(t),
    hasSecret: traceToJsonText(t).includes(secret),
  };
}
