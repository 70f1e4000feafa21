/**
 * MLflow's four assessment endpoints. A destination that holds assessments exposes one as its
 * `assessments` property (LocalTraceStore / LocalStoreDestination, the MLflow server destination,
 * InMemoryDestination); the public functions (api.ts) use the active destination's.
 */
import type { Assessment } from './entity.js';

/** A new assessment before the store gives it an id and times. */
export type AssessmentDraft = Omit<Assessment, 'assessment_id' | 'create_time' | 'last_update_time' | 'valid'>;

/** The fields update_assessment may change (MLflow's update mask paths). */
export type AssessmentChanges = Partial<Pick<Assessment, 'assessment_name' | 'feedback' | 'expectation' | 'rationale' | 'metadata'>>;

export const UPDATE_MASK_FIELDS = ['assessment_name', 'feedback', 'expectation', 'rationale', 'metadata'] as const;

export interface AssessmentBackend {
  /** Stores a new assessment; with `overrides`, the overridden one becomes `valid: false` (kept). */
  createAssessment(draft: AssessmentDraft): Promise<Assessment>;
  /** Throws a not-found error naming the trace and assessment when missing. */
  getAssessment(traceId: string, assessmentId: string): Promise<Assessment>;
  updateAssessment(traceId: string, assessmentId: string, changes: AssessmentChanges): Promise<Assessment>;
  deleteAssessment(traceId: string, assessmentId: string): Promise<void>;
}

export function isAssessmentBackend(d: unknown): d is AssessmentBackend {
  const b = d as Partial<AssessmentBackend> | undefined;
  return typeof b?.createAssessment === 'function' && typeof b.getAssessment === 'function' && typeof b.updateAssessment === 'function' && typeof b.deleteAssessment === 'function';
}

/** Where a destination keeps assessments: its `assessments` property (local store, MLflow server, in memory). */
export function assessmentBackendOf(destination: unknown): AssessmentBackend | undefined {
  const b = (destination as { assessments?: unknown } | undefined)?.assessments;
  return isAssessmentBackend(b) ? b : undefined;
}

/** `backend`, each call first awaiting `flush` (feedback on a trace still queued would not find it). */
export function afterFlush(backend: AssessmentBackend, flush: () => Promise<void>): AssessmentBackend {
  return {
    createAssessment: async (draft) => (await flush(), backend.createAssessment(draft)),
    getAssessment: async (traceId, id) => (await flush(), backend.getAssessment(traceId, id)),
    updateAssessment: async (traceId, id, changes) => (await flush(), backend.updateAssessment(traceId, id, changes)),
    deleteAssessment: async (traceId, id) => (await flush(), backend.deleteAssessment(traceId, id)),
  };
}

export class AssessmentNotFoundError extends Error {
  override name = 'AssessmentNotFoundError';
}

export function traceNotFound(traceId: string): AssessmentNotFoundError {
  return new AssessmentNotFoundError(`Trace with ID ${traceId} not found.`);
}

export function assessmentNotFound(traceId: string, assessmentId: string): AssessmentNotFoundError {
  return new AssessmentNotFoundError(`Assessment with ID ${assessmentId} not found on trace ${traceId}.`);
}

/** An assessment with `changes` applied (a feedback value replaces the feedback, and so on). */
export function applyChanges(a: Assessment, changes: AssessmentChanges, now: string): Assessment {
  const next: Assessment = { ...a, last_update_time: now };
  if (changes.assessment_name !== undefined) next.assessment_name = changes.assessment_name;
  if (changes.rationale !== undefined) next.rationale = changes.rationale;
  if (changes.metadata !== undefined) next.metadata = { ...changes.metadata };
  if (changes.feedback !== undefined) next.feedback = changes.feedback;
  if (changes.expectation !== undefined) next.expectation = changes.expectation;
  return next;
}
