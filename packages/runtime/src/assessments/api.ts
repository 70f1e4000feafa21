/**
 * The assessment API, mirroring mlflow.log_feedback / log_expectation / get_assessment /
 * update_assessment / override_feedback / delete_assessment. Assessments go to the active
 * destination (local store or MLflow server) and come back in `getTrace().info.assessments`
 * in MLflow's JSON. These are explicit calls, not tracing: bad input and store failures throw.
 */
import { flushTraces, getDestination } from '../api/control.js';
import { isTraceReader } from '../config/fan-out.js';
import type { TraceReader } from '../export/destination.js';
import { assessmentBackendOf, type AssessmentBackend, type AssessmentChanges, type AssessmentDraft } from './backend.js';
import { ASSESSMENT_SESSION_KEY, type Assessment, type AssessmentValue } from './entity.js';
import {
  checkAssessmentId,
  checkError,
  checkMetadata,
  checkName,
  checkNonEmptyString,
  checkOptionalString,
  checkSource,
  checkSpanId,
  checkTraceId,
  checkValue,
  fail,
  requireObject,
  type AssessmentSourceInput,
} from './validate.js';

interface Target {
  /** The trace; or give `sessionId` to assess a whole session (stored on its first trace, marked with `mlflow.trace.session`). */
  traceId?: string;
  sessionId?: string;
  spanId?: string;
  source?: AssessmentSourceInput;
  rationale?: string;
  metadata?: Record<string, unknown>;
}

export interface LogFeedbackOptions extends Target {
  /** Default "feedback". */
  name?: string;
  /** Any JSON value; give `error` instead when producing it failed. */
  value?: unknown;
  error?: Error | { errorCode?: string; errorMessage?: string };
}

export interface LogExpectationOptions extends Target {
  name: string;
  value: unknown;
}

export interface UpdateAssessmentOptions {
  name?: string;
  /** Replaces the feedback or expectation value (same kind as the assessment). */
  value?: unknown;
  rationale?: string;
  metadata?: Record<string, unknown>;
}

export interface OverrideFeedbackOptions {
  traceId: string;
  assessmentId: string;
  value: unknown;
  rationale?: string;
  source?: AssessmentSourceInput;
  metadata?: Record<string, unknown>;
}

function backend(where: string): AssessmentBackend {
  const d = getDestination();
  if (!d) fail(where, 'no trace destination is configured (setTrackingUri("./mlruns") or an MLflow server URL)');
  const b = assessmentBackendOf(d);
  if (!b) {
    throw new Error(
      `${where}: the active destination (${d.description}) cannot hold assessments; ` +
        'use a local store (setTrackingUri("./mlruns")) or an MLflow server (setTrackingUri("http://...")).',
    );
  }
  return b;
}

/** MLflow keeps a session's assessment on the session's first trace, marked with the session id. */
async function sessionAnchor(where: string, sessionId: string, reader: TraceReader | undefined): Promise<string> {
  if (!reader) fail(where, 'a session assessment needs a searchable destination to find the session\'s traces');
  if (sessionId.includes("'") && sessionId.includes('"')) fail(where, `"sessionId" cannot contain both quote characters, got ${JSON.stringify(sessionId)}`);
  const quote = sessionId.includes("'") ? '"' : "'";
  const page = await reader.searchTraces({
    filterString: `metadata.\`${ASSESSMENT_SESSION_KEY}\` = ${quote}${sessionId}${quote}`,
    orderBy: ['timestamp_ms ASC'],
    maxResults: 1,
    includeSpans: false,
  });
  const first = page.traces[0];
  if (!first) fail(where, `no trace of session ${JSON.stringify(sessionId)} in the active destination`);
  return first.info.traceId;
}

/** The active destination's reader, after a flush (so a trace that just finished is found). */
async function activeReader(): Promise<TraceReader | undefined> {
  const d = getDestination();
  if (!d || !isTraceReader(d)) return undefined;
  await flushTraces();
  return d;
}

async function draftTarget(where: string, o: Target, reader: TraceReader | undefined): Promise<Pick<AssessmentDraft, 'trace_id' | 'span_id' | 'rationale' | 'metadata'>> {
  if (o.traceId !== undefined && o.sessionId !== undefined) fail(where, 'give either "traceId" or "sessionId", not both');
  if (o.traceId === undefined && o.sessionId === undefined) fail(where, '"traceId" (or "sessionId") is required');
  const spanId = checkSpanId(where, o.spanId);
  const rationale = checkOptionalString(where, 'rationale', o.rationale);
  let metadata = checkMetadata(where, o.metadata);
  let traceId: string;
  if (o.sessionId !== undefined) {
    const sessionId = checkNonEmptyString(where, 'sessionId', o.sessionId);
    if (spanId !== undefined) fail(where, '"spanId" cannot be given with "sessionId" (a session assessment is not about one span)');
    metadata = { ...metadata, [ASSESSMENT_SESSION_KEY]: sessionId };
    traceId = await sessionAnchor(where, sessionId, reader);
  } else traceId = checkTraceId(where, o.traceId);
  const out: Pick<AssessmentDraft, 'trace_id' | 'span_id' | 'rationale' | 'metadata'> = { trace_id: traceId };
  if (spanId !== undefined) out.span_id = spanId;
  if (rationale !== undefined) out.rationale = rationale;
  if (metadata !== undefined) out.metadata = metadata;
  return out;
}

/**
 * A validated feedback assessment, ready for `AssessmentBackend.createAssessment` (`reader`
 * finds a session's first trace for `sessionId`). logFeedback = this + the active destination.
 */
export async function feedbackDraft(options: LogFeedbackOptions, reader?: TraceReader, where = 'logFeedback'): Promise<AssessmentDraft> {
  const o = requireObject(where, options) as LogFeedbackOptions;
  const name = checkName(where, o.name ?? 'feedback');
  const source = checkSource(where, o.source, 'CODE');
  const error = checkError(where, o.error);
  if (o.value === undefined && !error) fail(where, '"value" is required (any JSON value), or "error" when producing it failed');
  const feedback: NonNullable<Assessment['feedback']> = {};
  if (o.value !== undefined) feedback.value = checkValue(where, 'value', o.value);
  if (error) feedback.error = error;
  return { assessment_name: name, source, feedback, ...(await draftTarget(where, o, reader)) };
}

/** A validated expectation assessment (see feedbackDraft). */
export async function expectationDraft(options: LogExpectationOptions, reader?: TraceReader, where = 'logExpectation'): Promise<AssessmentDraft> {
  const o = requireObject(where, options) as unknown as LogExpectationOptions;
  const name = checkName(where, o.name);
  const source = checkSource(where, o.source, 'HUMAN');
  if (o.value === undefined) fail(where, '"value" is required (any JSON value)');
  if ((o as { error?: unknown }).error !== undefined) fail(where, 'expectations cannot have an "error"');
  return { assessment_name: name, source, expectation: { value: checkValue(where, 'value', o.value) }, ...(await draftTarget(where, o, reader)) };
}

/** Logs feedback (a judgement: thumbs, score, label...) on a trace, a span or a session. */
export async function logFeedback(options: LogFeedbackOptions): Promise<Assessment> {
  const store = backend('logFeedback');
  return store.createAssessment(await feedbackDraft(options, await activeReader()));
}

/** Logs an expectation (ground truth: the expected answer, facts, guidelines) on a trace, span or session. */
export async function logExpectation(options: LogExpectationOptions): Promise<Assessment> {
  const store = backend('logExpectation');
  return store.createAssessment(await expectationDraft(options, await activeReader()));
}

export async function getAssessment(traceId: string, assessmentId: string): Promise<Assessment> {
  const where = 'getAssessment';
  return backend(where).getAssessment(checkTraceId(where, traceId), checkAssessmentId(where, assessmentId));
}

/** Changes name, value, rationale or metadata in place (use overrideFeedback to keep the old value). */
export async function updateAssessment(traceId: string, assessmentId: string, changes: UpdateAssessmentOptions): Promise<Assessment> {
  const where = 'updateAssessment';
  const id = checkTraceId(where, traceId);
  const aid = checkAssessmentId(where, assessmentId);
  const o = requireObject(where, changes) as UpdateAssessmentOptions;
  const known = new Set(['name', 'value', 'rationale', 'metadata']);
  for (const k of Object.keys(o)) if (!known.has(k)) fail(where, `unknown change "${k}" (expected name, value, rationale or metadata)`);
  const out: AssessmentChanges = {};
  if (o.name !== undefined) out.assessment_name = checkName(where, o.name);
  const rationale = checkOptionalString(where, 'rationale', o.rationale);
  if (rationale !== undefined) out.rationale = rationale;
  const metadata = checkMetadata(where, o.metadata);
  if (metadata !== undefined) out.metadata = metadata;
  const b = backend(where);
  if (o.value !== undefined) {
    const value: AssessmentValue = checkValue(where, 'value', o.value);
    const current = await b.getAssessment(id, aid);
    if (current.feedback !== undefined) out.feedback = { value };
    else out.expectation = { value };
  }
  if (Object.keys(out).length === 0) fail(where, 'nothing to change: give name, value, rationale or metadata');
  return b.updateAssessment(id, aid, out);
}

/**
 * Replaces a feedback with a new one (e.g. a human correcting an LLM judge): the new
 * assessment records `overrides: <old id>`, the old one stays, marked `valid: false`.
 */
export async function overrideFeedback(options: OverrideFeedbackOptions): Promise<Assessment> {
  const where = 'overrideFeedback';
  const o = requireObject(where, options) as unknown as OverrideFeedbackOptions;
  const traceId = checkTraceId(where, o.traceId);
  const assessmentId = checkAssessmentId(where, o.assessmentId);
  if (o.value === undefined) fail(where, '"value" is required (any JSON value)');
  const value = checkValue(where, 'value', o.value);
  const b = backend(where);
  const old = await b.getAssessment(traceId, assessmentId);
  if (old.feedback === undefined) fail(where, `assessment ${assessmentId} is an expectation; only feedback can be overridden (use updateAssessment)`);
  const draft: AssessmentDraft = {
    assessment_name: old.assessment_name,
    trace_id: traceId,
    source: checkSource(where, o.source, 'HUMAN'),
    feedback: { value },
    overrides: assessmentId,
  };
  if (old.span_id !== undefined) draft.span_id = old.span_id;
  const rationale = checkOptionalString(where, 'rationale', o.rationale);
  if (rationale !== undefined) draft.rationale = rationale;
  const metadata = checkMetadata(where, o.metadata) ?? old.metadata;
  if (metadata !== undefined) draft.metadata = metadata;
  return b.createAssessment(draft);
}

export async function deleteAssessment(traceId: string, assessmentId: string): Promise<void> {
  const where = 'deleteAssessment';
  return backend(where).deleteAssessment(checkTraceId(where, traceId), checkAssessmentId(where, assessmentId));
}
