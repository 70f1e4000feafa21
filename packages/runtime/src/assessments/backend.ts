/**
 * What a destination must offer to hold assessments: MLflow's four assessment endpoints.
 * Implemented by the local store and by the MLflow server destination; the public functions
 * (api.ts) find it on the active destination.
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
