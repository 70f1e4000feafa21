/**
 * MLflow's assessment entity in its JSON form (`mlflow.assessments.Assessment`, proto field
 * names): what `getTrace()` returns in `info.assessments`, what the local store keeps and
 * what the MLflow server's assessment endpoints take and answer.
 */
import { randomHex } from '../core/ids.js';
import { TraceMetadataKey } from '../model/constants.js';

export type AssessmentSourceType = 'HUMAN' | 'LLM_JUDGE' | 'CODE';
export const ASSESSMENT_SOURCE_TYPES: readonly AssessmentSourceType[] = ['HUMAN', 'LLM_JUDGE', 'CODE'];

/** Any JSON value: what feedback and expectations hold. */
export type AssessmentValue = null | boolean | number | string | AssessmentValue[] | { [key: string]: AssessmentValue };

export interface AssessmentSourceJson {
  source_type: AssessmentSourceType;
  source_id: string;
}

export interface AssessmentErrorJson {
  error_code?: string;
  error_message?: string;
}

export interface Assessment {
  assessment_id: string;
  assessment_name: string;
  trace_id: string;
  span_id?: string;
  source: AssessmentSourceJson;
  /** RFC 3339 (protobuf Timestamp JSON) */
  create_time: string;
  last_update_time: string;
  feedback?: { value?: AssessmentValue; error?: AssessmentErrorJson };
  expectation?: { value: AssessmentValue };
  rationale?: string;
  metadata?: Record<string, string>;
  /** id of the assessment this one replaces (override_feedback) */
  overrides?: string;
  /** false once overridden: kept for history, ignored by search */
  valid?: boolean;
}

/** MLflow's `ASSESSMENT_ID_PREFIX`. */
export const ASSESSMENT_ID_PREFIX = 'a-';

export function newAssessmentId(): string {
  return ASSESSMENT_ID_PREFIX + randomHex(32);
}

/** The metadata key MLflow uses to mark a session-scoped assessment (= the trace metadata key). */
export const ASSESSMENT_SESSION_KEY = TraceMetadataKey.TRACE_SESSION;

export function isFeedback(a: Assessment): boolean {
  return a.feedback !== undefined;
}

export function kindOf(a: Assessment): 'feedback' | 'expectation' {
  return a.feedback !== undefined ? 'feedback' : 'expectation';
}

/** The assessment's value (feedback or expectation), undefined for an errored feedback. */
export function valueOf(a: Assessment): AssessmentValue | undefined {
  return a.feedback !== undefined ? a.feedback.value : a.expectation?.value;
}

export function nowRfc3339(): string {
  return new Date().toISOString();
}
