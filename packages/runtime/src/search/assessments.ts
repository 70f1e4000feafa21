/**
 * Reading `TraceInfo.assessments` for `feedback.<name>`, `expectation.<name>` and `issue.id`.
 * Assessments are MLflow's JSON (snake_case: assessment_name, feedback.value /
 * expectation.value, valid, issue); camelCase variants are accepted as SDKs emit either.
 */
import type { TraceInfo } from '../model/trace.js';
import { TraceTagKey } from '../model/constants.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nameOf(a: Json): unknown {
  return a['assessment_name'] ?? a['assessmentName'] ?? a['name'];
}

/** Only valid assessments count (an overridden one carries `valid: false`). */
function validAssessments(info: TraceInfo): Json[] {
  const list = info.assessments;
  if (!Array.isArray(list) || list.length === 0) return [];
  return list.filter((a): a is Json => isObject(a) && a['valid'] !== false);
}

export type AssessmentKind = 'feedback' | 'expectation';

/** The assessments of `kind` named `name`: each entry is its value (undefined if it has none). */
export function assessmentValues(info: TraceInfo, kind: AssessmentKind, name: string): unknown[] {
  const out: unknown[] = [];
  for (const a of validAssessments(info)) {
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
  for (const a of validAssessments(info)) {
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
