import type { Trace } from '../model/trace.js';
import type { TraceDestination } from './destination.js';

/** Keeps finished traces in memory, newest last. For tests, notebooks and embedding. */
export class InMemoryDestination implements TraceDestination {
  readonly description = 'in-memory';
  readonly traces: Trace[] = [];

  export(trace: Trace): void {
    this.traces.push(trace);
  }
  getTrace(traceId: string): Trace | undefined {
    return this.traces.find((t) => t.info.traceId === traceId);
  }
  clear(): void {
    this.traces.length = 0;
  }
  async flush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}
