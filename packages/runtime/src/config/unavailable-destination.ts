import { reportDropped } from '../core/diagnostics.js';
import type { DeleteTracesOptions, SearchTracesOptions, TraceDestination, TracePage, TraceReader } from '../export/destination.js';
import type { Trace, TraceEntity } from '../model/trace.js';

/**
 * Stands in when the environment's configuration is invalid (e.g. MLFLOW_TRACKING_URI with an
 * unknown scheme): tracing must not throw into the application, so traces are dropped and
 * counted, and reading them back fails with the configuration error itself.
 */
export class UnavailableDestination implements TraceDestination, TraceReader {
  readonly description: string;

  constructor(private readonly reason: Error) {
    this.description = `unavailable destination (${reason.message})`;
  }

  export(_trace: Trace): void {
    reportDropped(this.description);
  }
  async flush(): Promise<void> {}
  async shutdown(): Promise<void> {}
  async getTrace(_traceId: string): Promise<TraceEntity | undefined> {
    throw this.reason;
  }
  async searchTraces(_options?: SearchTracesOptions): Promise<TracePage> {
    throw this.reason;
  }
  async deleteTraces(_options: DeleteTracesOptions): Promise<number> {
    throw this.reason;
  }
}
