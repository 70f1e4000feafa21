/**
 * MLflow's assessment endpoints (create / get / update / delete with MLflow's override rules)
 * over a journal of assessment changes: the local store's append-only log, or the traces held
 * by InMemoryDestination. Each change is one or more records applied together.
 */
import { applyChanges, assessmentNotFound, traceNotFound, type AssessmentBackend, type AssessmentChanges, type AssessmentDraft } from './backend.js';
import { newAssessmentId, nowRfc3339, type Assessment } from './entity.js';
import type { TraceInfo } from '../model/trace.js';

/** `{s}`: an assessment's whole new state; `{x}`: [traceId, assessmentId] deleted. */
export type AssessmentRecord = { s: Assessment } | { x: [string, string] };

export interface AssessmentJournal {
  /** Picks up changes made elsewhere (other processes). */
  refresh(): void;
  /** The trace's current assessment with this id. */
  find(info: TraceInfo, assessmentId: string): Assessment | undefined;
  /** Applies `records` together (all or none visible). */
  append(records: AssessmentRecord[]): void;
}

export class JournaledAssessments implements AssessmentBackend {
  constructor(
    private readonly log: AssessmentJournal,
    /** The trace's info as written (before the log), after a refresh; undefined if no such trace. */
    private readonly infoOf: (traceId: string) => Promise<TraceInfo | undefined>,
  ) {}

  private async current(traceId: string, assessmentId: string): Promise<{ info: TraceInfo; a: Assessment }> {
    const info = await this.infoOf(traceId);
    if (!info) throw traceNotFound(traceId);
    this.log.refresh();
    const a = this.log.find(info, assessmentId);
    if (!a) throw assessmentNotFound(traceId, assessmentId);
    return { info, a };
  }

  async createAssessment(draft: AssessmentDraft): Promise<Assessment> {
    const info = await this.infoOf(draft.trace_id);
    if (!info) throw traceNotFound(draft.trace_id);
    const now = nowRfc3339();
    const created: Assessment = { ...draft, assessment_id: newAssessmentId(), create_time: now, last_update_time: now, valid: true };
    const records: AssessmentRecord[] = [];
    if (draft.overrides !== undefined) {
      this.log.refresh();
      const old = this.log.find(info, draft.overrides);
      if (!old) throw assessmentNotFound(draft.trace_id, draft.overrides);
      records.push({ s: { ...old, valid: false, last_update_time: now } });
    }
    records.push({ s: created });
    this.log.append(records);
    return created;
  }

  async getAssessment(traceId: string, assessmentId: string): Promise<Assessment> {
    return (await this.current(traceId, assessmentId)).a;
  }

  async updateAssessment(traceId: string, assessmentId: string, changes: AssessmentChanges): Promise<Assessment> {
    const { a } = await this.current(traceId, assessmentId);
    const next = applyChanges(a, changes, nowRfc3339());
    this.log.append([{ s: next }]);
    return next;
  }

  /** Deleting an override makes the assessment it replaced valid again (MLflow's rule). */
  async deleteAssessment(traceId: string, assessmentId: string): Promise<void> {
    const { info, a } = await this.current(traceId, assessmentId);
    const records: AssessmentRecord[] = [{ x: [traceId, assessmentId] }];
    const restored = a.overrides !== undefined ? this.log.find(info, a.overrides) : undefined;
    if (restored) records.push({ s: { ...restored, valid: true, last_update_time: nowRfc3339() } });
    this.log.append(records);
  }
}
