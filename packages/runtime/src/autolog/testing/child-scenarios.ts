/**
 * For SDK test programmes run as a child process (e.g. under Node 22): each scenario's result
 * (or the error it threw, described) with the traces it produced, as JSON the parent test reads.
 */
import type { InMemoryDestination } from '../../export/in-memory.js';
import type { Trace } from '../../model/trace.js';

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
