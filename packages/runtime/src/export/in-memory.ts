import { experimentIdOf, traceEntity, type Trace, type TraceEntity } from '../model/trace.js';
import { compileOrderBy } from '../search/order-by.js';
import { searchInMemory } from '../search/in-memory.js';
import type { AssessmentBackend } from '../assessments/backend.js';
import { InMemoryAssessmentJournal } from '../assessments/in-memory-journal.js';
import { JournaledAssessments } from '../assessments/journaled.js';
import type { DeleteTracesOptions, SearchTracesOptions, TraceDestination, TracePage, TraceReader } from './destination.js';

const newestFirst = compileOrderBy();

/** Keeps finished traces in memory, newest last. For tests, notebooks and embedding. */
export class InMemoryDestination implements TraceDestination, TraceReader {
  readonly description = 'in-memory';
  /** Held as entities, like every reader returns them (`toJson()`, `JSON.stringify`). */
  readonly traces: TraceEntity[] = [];
  /** Holds logFeedback & co. when this is the destination (applied to the held traces). */
  readonly assessments: AssessmentBackend = new JournaledAssessments(
    new InMemoryAssessmentJournal((id) => this.traces.find((t) => t.info.traceId === id)?.info),
    async (id) => this.traces.find((t) => t.info.traceId === id)?.info,
  );

  export(trace: Trace): void {
    this.traces.push(traceEntity(trace));
  }
  async getTrace(traceId: string): Promise<TraceEntity | undefined> {
    return this.traces.find((t) => t.info.traceId === traceId);
  }
  /** MLflow's searchTraces semantics over the held traces (no experiment filter unless `experimentIds` is given). */
  async searchTraces(options?: SearchTracesOptions): Promise<TracePage> {
    return searchInMemory(this.traces, options);
  }
  /**
   * Deletes the traces named by `traceIds`, those started at or before `maxTimestampMillis`
   * (MLflow's `timestamp_ms <= max`), and all but the `maxTraces` newest; restricted to
   * `experimentId` when given. Returns how many were deleted.
   */
  async deleteTraces(options: DeleteTracesOptions): Promise<number> {
    const { experimentId, traceIds, maxTimestampMillis, maxTraces } = options ?? {};
    if (traceIds === undefined && maxTimestampMillis === undefined && maxTraces === undefined) {
      throw new TypeError('deleteTraces(options): give traceIds, maxTimestampMillis or maxTraces');
    }
    if (maxTraces !== undefined && (!Number.isInteger(maxTraces) || maxTraces < 0)) {
      throw new TypeError(`deleteTraces(options): maxTraces must be a non-negative integer, got ${maxTraces}`);
    }
    const inScope = this.traces.filter((t) => experimentId === undefined || experimentIdOf(t.info) === experimentId);
    const doomed = new Set<TraceEntity>();
    if (traceIds !== undefined) {
      const ids = new Set(traceIds);
      for (const t of inScope) if (ids.has(t.info.traceId)) doomed.add(t);
    }
    if (maxTimestampMillis !== undefined) {
      for (const t of inScope) if (t.info.requestTime <= maxTimestampMillis) doomed.add(t);
    }
    if (maxTraces !== undefined) {
      const byAge = [...inScope].sort((a, b) => newestFirst(a.info, b.info));
      for (const t of byAge.slice(maxTraces)) doomed.add(t);
    }
    if (doomed.size === 0) return 0;
    const kept = this.traces.filter((t) => !doomed.has(t));
    this.traces.length = 0;
    this.traces.push(...kept);
    return doomed.size;
  }
  clear(): void {
    this.traces.length = 0;
  }
  async flush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}
