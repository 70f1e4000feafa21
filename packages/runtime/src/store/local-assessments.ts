/**
 * MLflow's assessment endpoints over the local store's assessment log (create / get /
 * update / delete with MLflow's override rules), given a way to find a trace's current info.
 */
import { applyChanges, assessmentNotFound, traceNotFound, type AssessmentBackend, type AssessmentChanges, type AssessmentDraft } from '../assessments/backend.js';
import { newAssessmentId, nowRfc3339, type Assessment } from '../assessments/entity.js';
import type { TraceInfo } from '../model/trace.js';
import type { AssessmentLog, AssessmentLogRecord } from './assessment-log.js';

export class LocalAssessments implements AssessmentBackend {
  constructor(
    private readonly log: AssessmentLog,
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
    const records: AssessmentLogRecord[] = [];
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
    const records: AssessmentLogRecord[] = [{ x: [traceId, assessmentId] }];
    const restored = a.overrides !== undefined ? this.log.find(info, a.overrides) : undefined;
    if (restored) records.push({ s: { ...restored, valid: true, last_update_time: nowRfc3339() } });
    this.log.append(records);
  }
}
