/**
 * Sends every trace to several destinations (OTLP dual export: MLflow + collector). Reads go
 * to the first destination that can be read back. One destination failing never affects the
 * others.
 */
import { reportInternalError } from '../core/diagnostics.js';
import type { DeleteTracesOptions, SearchTracesOptions, TraceDestination, TracePage, TraceReader } from '../export/destination.js';
import type { Trace, TraceEntity } from '../model/trace.js';
import { assessmentBackendOf, type AssessmentBackend } from '../assessments/backend.js';

export function isTraceReader(d: unknown): d is TraceReader {
  const r = d as Partial<TraceReader> | undefined;
  return typeof r?.getTrace === 'function' && typeof r.searchTraces === 'function' && typeof r.deleteTraces === 'function';
}

export class FanOutDestination implements TraceDestination, TraceReader {
  readonly description: string;
  private readonly reader: TraceReader | undefined;

  constructor(readonly destinations: readonly TraceDestination[]) {
    this.description = destinations.map((d) => d.description).join(' + ');
    this.reader = destinations.find(isTraceReader) as (TraceDestination & TraceReader) | undefined;
  }

  export(trace: Trace): void {
    for (const d of this.destinations) {
      try {
        d.export(trace);
      } catch (error) {
        reportInternalError(`export to ${d.description}`, error);
      }
    }
  }

  async flush(): Promise<void> {
    await this.each((d) => d.flush(), 'flush');
  }

  /** Synchronous flush of the parts that support it (local stores); used when switching destinations. */
  flushSync(): void {
    for (const d of this.destinations) (d as { flushSync?: () => void }).flushSync?.();
  }

  async shutdown(): Promise<void> {
    await this.each((d) => d.shutdown(), 'shutdown');
  }

  private async each(op: (d: TraceDestination) => Promise<void>, name: string): Promise<void> {
    const results = await Promise.allSettled(this.destinations.map(op));
    results.forEach((r, i) => {
      if (r.status === 'rejected') reportInternalError(`${name} ${this.destinations[i]!.description}`, r.reason);
    });
  }

  private readable(): TraceReader {
    if (!this.reader) throw new Error(`none of the destinations (${this.description}) can be searched`);
    return this.reader;
  }

  getTrace(traceId: string): Promise<TraceEntity | undefined> {
    return this.readable().getTrace(traceId);
  }
  searchTraces(options?: SearchTracesOptions): Promise<TracePage> {
    return this.readable().searchTraces(options);
  }
  deleteTraces(options: DeleteTracesOptions): Promise<number> {
    return this.readable().deleteTraces(options);
  }

  /** The readable destination's assessments (the local store's, an MLflow server's). */
  get assessments(): AssessmentBackend | undefined {
    return assessmentBackendOf(this.reader);
  }
}
