/**
 * The assessment journal of InMemoryDestination: changes are applied straight to the held
 * traces' `info.assessments` (there is no other process to share them with).
 */
import type { TraceInfo } from '../model/trace.js';
import type { Assessment } from './entity.js';
import type { AssessmentJournal, AssessmentRecord } from './journaled.js';

const idOf = (a: unknown): string | undefined => (typeof a === 'object' && a !== null ? ((a as Partial<Assessment>).assessment_id ?? undefined) : undefined);

export class InMemoryAssessmentJournal implements AssessmentJournal {
  constructor(private readonly infoOf: (traceId: string) => TraceInfo | undefined) {}

  refresh(): void {}

  find(info: TraceInfo, assessmentId: string): Assessment | undefined {
    return info.assessments.find((a) => idOf(a) === assessmentId) as Assessment | undefined;
  }

  append(records: AssessmentRecord[]): void {
    for (const r of records) {
      const [traceId, assessmentId] = 's' in r ? [r.s.trace_id, r.s.assessment_id] : r.x;
      const info = this.infoOf(traceId);
      if (!info) continue;
      const rest = info.assessments.filter((a) => idOf(a) !== assessmentId);
      // Same order rule as the local store's log: a changed assessment moves to the end.
      info.assessments = 's' in r ? [...rest, r.s] : rest;
    }
  }
}
