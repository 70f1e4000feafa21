/**
 * Test-only: the assessment endpoints of the fake MLflow server (service.proto
 * CreateAssessment / GetAssessmentRequest / UpdateAssessment / DeleteAssessment under
 * /api/3.0/mlflow/traces/{trace_id}/assessments), strict about request bodies, storing
 * assessments in the trace info like the server's store, plus the `feedback.<name>` /
 * `expectation.<name>` filter clauses of SearchTracesV3 (session-level ones propagated).
 */
import { randomBytes } from 'node:crypto';
import { ApiError, expectKeys, expectString, expectStringMap, jsonBody, notFound, Violation, type RecordedRequest } from './fake-mlflow-server.js';

const ASSESSMENT_FIELDS = [
  'assessment_id',
  'assessment_name',
  'trace_id',
  'span_id',
  'source',
  'create_time',
  'last_update_time',
  'feedback',
  'expectation',
  'rationale',
  'error',
  'metadata',
  'overrides',
  'valid',
  'run_id',
];
const SOURCE_TYPES = ['HUMAN', 'LLM_JUDGE', 'CODE'];
const UPDATABLE = ['assessment_name', 'expectation', 'feedback', 'rationale', 'metadata', 'valid'];
const SESSION_KEY = 'mlflow.trace.session';

type Info = Record<string, any>;

function validateAssessment(a: any, path: string, creating: boolean): void {
  expectKeys(a, path, creating ? ['assessment_name', 'source'] : [], ASSESSMENT_FIELDS);
  if (a.assessment_name !== undefined) {
    expectString(a.assessment_name, `${path}.assessment_name`);
    if (a.assessment_name === '') throw new Violation(`${path}.assessment_name must not be empty`);
  }
  if (a.source !== undefined) {
    expectKeys(a.source, `${path}.source`, ['source_type'], ['source_type', 'source_id']);
    if (!SOURCE_TYPES.includes(a.source.source_type)) throw new Violation(`${path}.source.source_type must be one of ${SOURCE_TYPES.join(', ')}, got ${JSON.stringify(a.source.source_type)}`);
    if (a.source.source_id !== undefined) expectString(a.source.source_id, `${path}.source.source_id`);
  }
  if (a.feedback !== undefined) {
    expectKeys(a.feedback, `${path}.feedback`, [], ['value', 'error']);
    if (a.feedback.error !== undefined) expectKeys(a.feedback.error, `${path}.feedback.error`, [], ['error_code', 'error_message', 'stack_trace']);
  }
  if (a.expectation !== undefined) expectKeys(a.expectation, `${path}.expectation`, [], ['value', 'serialized_value']);
  if (creating && (a.feedback === undefined) === (a.expectation === undefined)) throw new Violation(`${path} must have exactly one of feedback or expectation`);
  if (a.metadata !== undefined) expectStringMap(a.metadata, `${path}.metadata`);
  for (const key of ['rationale', 'span_id', 'overrides', 'trace_id']) if (a[key] !== undefined) expectString(a[key], `${path}.${key}`);
}

function find(info: Info, id: string): any {
  const a = (info.assessments ?? []).find((x: any) => x.assessment_id === id);
  if (!a) throw notFound(`Assessment with ID ${id} not found`);
  return a;
}

export function assessmentRoute(r: RecordedRequest, info: Info, assessmentId: string | undefined): unknown {
  info.assessments ??= [];
  const now = new Date().toISOString();
  if (assessmentId === undefined) {
    if (r.method !== 'POST') throw new ApiError(405, { error_code: 'BAD_REQUEST', message: `${r.method} not allowed` });
    const body = jsonBody(r);
    expectKeys(body, '$', ['assessment'], ['assessment']);
    validateAssessment(body.assessment, '$.assessment', true);
    if (body.assessment.trace_id !== undefined && body.assessment.trace_id !== info.trace_id) throw new Violation('$.assessment.trace_id differs from the trace id in the path');
    if (body.assessment.assessment_id !== undefined) throw new Violation('$.assessment.assessment_id is assigned by the server');
    const created = { ...body.assessment, trace_id: info.trace_id, assessment_id: `a-${randomBytes(16).toString('hex')}`, create_time: now, last_update_time: now, valid: true };
    if (created.overrides !== undefined) {
      const old = find(info, created.overrides);
      old.valid = false;
      old.last_update_time = now;
    }
    info.assessments.push(created);
    return { assessment: created };
  }
  const current = find(info, assessmentId);
  if (r.method === 'GET') return { assessment: current };
  if (r.method === 'DELETE') {
    info.assessments = info.assessments.filter((a: any) => a !== current);
    if (current.overrides) {
      const old = info.assessments.find((a: any) => a.assessment_id === current.overrides);
      if (old) old.valid = true;
    }
    return {};
  }
  if (r.method === 'PATCH') {
    const body = jsonBody(r);
    expectKeys(body, '$', ['assessment', 'update_mask'], ['assessment', 'update_mask']);
    validateAssessment(body.assessment, '$.assessment', false);
    expectString(body.update_mask, '$.update_mask');
    const paths = body.update_mask.split(',').map((p: string) => p.trim()).filter(Boolean);
    if (paths.length === 0) throw new Violation('$.update_mask names no field');
    for (const p of paths) {
      if (!UPDATABLE.includes(p)) throw new Violation(`$.update_mask: ${p} cannot be updated`);
      if (body.assessment[p] === undefined) throw new Violation(`$.update_mask names ${p} but $.assessment.${p} is absent`);
      if (p === 'feedback' || p === 'expectation') {
        delete current.feedback;
        delete current.expectation;
      }
      current[p] = body.assessment[p];
    }
    current.last_update_time = now;
    return { assessment: current };
  }
  throw new ApiError(405, { error_code: 'BAD_REQUEST', message: `${r.method} not allowed` });
}

// ---------- search ----------

/** Session id → session-level assessments, over every searched trace. */
export function sessionIndex(infos: Info[]): Map<string, any[]> {
  const out = new Map<string, any[]>();
  for (const info of infos) {
    for (const a of info.assessments ?? []) {
      const session = a.metadata?.[SESSION_KEY];
      if (typeof session === 'string') out.set(session, [...(out.get(session) ?? []), a]);
    }
  }
  return out;
}

/**
 * A `feedback.<name>` / `expectation.<name>` clause, or undefined for other clauses: true when
 * some valid assessment of the trace (or a session-level one of its session) satisfies it.
 * Equality compares the value's text and its JSON form, like the SQL store.
 */
export function assessmentPredicate(clause: string): ((info: Info, sessions: Map<string, any[]>) => boolean) | undefined {
  if (!/^(feedback|expectation)\./.test(clause.trim())) return undefined;
  const m = /^(feedback|expectation)\.(?:`([^`]+)`|(\w+))\s*(?:(=|!=|LIKE|ILIKE|RLIKE)\s*(?:'([^']*)'|"([^"]*)")|(IS\s+NOT\s+NULL|IS\s+NULL))$/i.exec(clause.trim());
  if (!m) throw new ApiError(400, { error_code: 'INVALID_PARAMETER_VALUE', message: `Invalid assessment filter clause '${clause}'` });
  const kind = m[1]!;
  const name = m[2] ?? m[3]!;
  const op = m[4]?.toUpperCase();
  const expected = m[5] ?? m[6] ?? '';
  const isNull = m[7] ? !/NOT/i.test(m[7]) : undefined;
  // SQL patterns: % any run, _ one character; LIKE case-sensitive, ILIKE not; RLIKE a regex found anywhere.
  const like = (flags: string) => new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, `s${flags}`);
  const test =
    op === 'LIKE' ? like('') : op === 'ILIKE' ? like('i') : op === 'RLIKE' ? new RegExp(expected) : undefined;
  return (info, sessions) => {
    const own = info.assessments ?? [];
    const session = info.trace_metadata?.[SESSION_KEY];
    const all = [...own, ...(typeof session === 'string' ? (sessions.get(session) ?? []) : [])];
    const values = all.filter((a) => a.valid !== false && a.assessment_name === name && a[kind] !== undefined).map((a) => a[kind].value);
    if (isNull !== undefined) return isNull ? values.length === 0 : values.length > 0;
    const forms = (v: unknown) => [typeof v === 'string' ? v : JSON.stringify(v), JSON.stringify(v)];
    if (test) return values.some((v) => forms(v).some((f) => test.test(f)));
    return op === '=' ? values.some((v) => forms(v).includes(expected)) : values.some((v) => !forms(v).includes(expected));
  };
}

/** order_by `feedback.<name>` / `expectation.<name>`: the first valid value (numbers numerically); undefined for other keys. */
export function assessmentSortAccessor(ident: string): ((info: Info) => unknown) | undefined {
  const m = /^(feedback|expectation)\.(?:`([^`]+)`|(\w+))$/.exec(ident);
  if (!m) return undefined;
  const [, kind, quoted, plain] = m;
  const name = quoted ?? plain;
  return (info) => {
    const a = (info.assessments ?? []).find((x: any) => x.valid !== false && x.assessment_name === name && x[kind!] !== undefined);
    if (!a) return undefined;
    const v = a[kind!].value;
    return typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : typeof v === 'string' ? v : JSON.stringify(v);
  };
}
