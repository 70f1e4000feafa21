/**
 * Reading `TraceInfo.assessments` for `feedback.<name>`, `expectation.<name>` and `issue.id`.
 * Assessments are MLflow's JSON (snake_case: assessment_name, feedback.value /
 * expectation.value, valid, issue); camelCase variants are accepted as SDKs emit either.
 */
import type { TraceInfo } from '../model/trace.js';
import { TraceMetadataKey, TraceTagKey } from '../model/constants.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nameOf(a: Json): unknown {
  return a['assessment_name'] ?? a['assessmentName'] ?? a['name'];
}

/** Only valid assessments count (an overridden one carries `valid: false`). */
function validAssessments(list: readonly unknown[] | undefined): Json[] {
  if (!Array.isArray(list) || list.length === 0) return [];
  return list.filter((a): a is Json => isObject(a) && a['valid'] !== false);
}

export type AssessmentKind = 'feedback' | 'expectation';

/**
 * The session an assessment is scoped to: MLflow marks a session-level assessment with the
 * metadata key `mlflow.trace.session` (the trace metadata key) set to the session id.
 */
export function assessmentSessionId(a: unknown): string | undefined {
  if (!isObject(a) || !isObject(a['metadata'])) return undefined;
  const id = (a['metadata'] as Json)[TraceMetadataKey.TRACE_SESSION];
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * Session id → the session-level assessments found on `infos`. In search they apply to every
 * trace of the session (MLflow's rule), not only to the trace that carries them.
 */
export function sessionAssessmentIndex(infos: Iterable<TraceInfo>): Map<string, unknown[]> {
  const index = new Map<string, unknown[]>();
  for (const info of infos) {
    if (!Array.isArray(info.assessments) || info.assessments.length === 0) continue;
    for (const a of info.assessments) {
      const session = assessmentSessionId(a);
      if (session === undefined) continue;
      const list = index.get(session);
      if (list) list.push(a);
      else index.set(session, [a]);
    }
  }
  return index;
}

/** The session-level assessments of other traces that apply to `info` (its session's), or undefined. */
export function sessionAssessmentsFor(info: TraceInfo, index: Map<string, unknown[]>): unknown[] | undefined {
  if (index.size === 0) return undefined;
  const session = info.traceMetadata[TraceMetadataKey.TRACE_SESSION];
  if (typeof session !== 'string') return undefined;
  const list = index.get(session);
  // The carrying trace already has them: counting them twice changes no answer, so no filtering.
  return list;
}

/** True when a filter may read assessments (a cheap textual test; a false positive only costs an index build). */
export function mayReadAssessments(filter: string | undefined): boolean {
  return filter !== undefined && /feedback|expectation/.test(filter);
}

/** The assessments of `kind` named `name`: each entry is its value (undefined if it has none). */
export function assessmentValues(info: TraceInfo, kind: AssessmentKind, name: string, sessionLevel?: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  const own = validAssessments(info.assessments);
  const all = sessionLevel ? own.concat(validAssessments(sessionLevel)) : own;
  for (const a of all) {
    const body = a[kind];
    if (!isObject(body) || nameOf(a) !== name) continue;
    out.push(body['value']);
  }
  return out;
}

/**
 * The two forms MLflow's equality matches an assessment value against: the value as text
 * and its JSON encoding (so `feedback.ok = 'true'` matches the boolean `true`, and
 * `= 'yes'` matches the string "yes", stored as `"yes"`).
 */
export function valueForms(value: unknown): [string, string] | undefined {
  if (value === undefined) return undefined;
  const json = JSON.stringify(value) ?? String(value);
  return [typeof value === 'string' ? value : json, json];
}

/** Issue ids a trace is linked to: assessments carrying an `issue` reference. */
export function issueIds(info: TraceInfo): string[] {
  const ids: string[] = [];
  for (const a of validAssessments(info.assessments)) {
    const issue = a['issue'];
    if (issue === undefined || issue === null) continue;
    const id = typeof issue === 'string' ? issue : isObject(issue) ? (issue['issue_id'] ?? issue['issueId'] ?? issue['id'] ?? nameOf(a)) : nameOf(a);
    if (typeof id === 'string') ids.push(id);
  }
  return ids;
}

/** Prompt versions linked to a trace: tag `mlflow.linkedPrompts` = JSON `[{"name","version"}]`. */
export function linkedPrompts(info: TraceInfo): { name: string; version: string }[] {
  const raw = info.tags[TraceTagKey.LINKED_PROMPTS];
  if (typeof raw !== 'string') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(isObject).map((p) => ({ name: String(p['name']), version: String(p['version']) }));
}
