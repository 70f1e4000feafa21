/**
 * Checks the arguments of the assessment API and turns them into MLflow's JSON. Every
 * problem is a TypeError naming the function, the argument and what was given.
 */
import { ASSESSMENT_SOURCE_TYPES, type AssessmentErrorJson, type AssessmentSourceJson, type AssessmentSourceType, type AssessmentValue } from './entity.js';

/** MLflow caps names like trace tag keys; the server rejects names with a dot. */
export const MAX_ASSESSMENT_NAME_CHARS = 250;
const MAX_VALUE_DEPTH = 64;

/** Who made an assessment: `{ sourceType: 'HUMAN', sourceId: 'alice@example.com' }` (MLflow's snake_case form is accepted too). */
export interface AssessmentSourceInput {
  sourceType?: AssessmentSourceType | 'AI_JUDGE';
  sourceId?: string;
  source_type?: AssessmentSourceType | 'AI_JUDGE';
  source_id?: string;
}

export class AssessmentInputError extends TypeError {
  override name = 'AssessmentInputError';
}

export function fail(where: string, message: string): never {
  throw new AssessmentInputError(`${where}: ${message}`);
}

const show = (v: unknown): string => {
  try {
    const text = typeof v === 'string' ? JSON.stringify(v) : v === undefined ? 'undefined' : typeof v === 'function' ? 'a function' : (JSON.stringify(v) ?? String(v));
    return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  } catch {
    return Object.prototype.toString.call(v);
  }
};

export function requireObject(where: string, v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(where, `expected an options object, got ${show(v)}`);
  return v as Record<string, unknown>;
}

export function checkNonEmptyString(where: string, field: string, v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '') fail(where, `"${field}" must be a non-empty string, got ${show(v)}`);
  return v;
}

export function checkName(where: string, v: unknown): string {
  const name = checkNonEmptyString(where, 'name', v);
  if (name.includes('.')) fail(where, `"name" must not contain "." (it is used as feedback.<name> in filters), got ${show(name)}`);
  if (name.length > MAX_ASSESSMENT_NAME_CHARS) fail(where, `"name" is ${name.length} characters, the limit is ${MAX_ASSESSMENT_NAME_CHARS}`);
  return name;
}

export function checkSource(where: string, v: unknown, fallback: AssessmentSourceType): AssessmentSourceJson {
  if (v === undefined) return { source_type: fallback, source_id: 'default' };
  if (typeof v === 'string') v = { sourceType: v };
  const o = requireObject(`${where} "source"`, v) as AssessmentSourceInput;
  let type = o.sourceType ?? o.source_type;
  // MLflow's legacy name for LLM_JUDGE.
  if (type === 'AI_JUDGE') type = 'LLM_JUDGE';
  if (!ASSESSMENT_SOURCE_TYPES.includes(type as AssessmentSourceType)) {
    fail(where, `"source.sourceType" must be one of ${ASSESSMENT_SOURCE_TYPES.join(', ')}, got ${show(type)}`);
  }
  const id = o.sourceId ?? o.source_id ?? 'default';
  if (typeof id !== 'string' || id === '') fail(where, `"source.sourceId" must be a non-empty string, got ${show(id)}`);
  return { source_type: type as AssessmentSourceType, source_id: id };
}

/** A JSON value (no undefined, functions, symbols, bigints, non-finite numbers, cycles or class instances). */
export function checkValue(where: string, field: string, v: unknown): AssessmentValue {
  const seen = new Set<object>();
  const walk = (x: unknown, path: string, depth: number): void => {
    if (depth > MAX_VALUE_DEPTH) fail(where, `"${field}" is nested deeper than ${MAX_VALUE_DEPTH} levels`);
    if (x === null || typeof x === 'string' || typeof x === 'boolean') return;
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) fail(where, `"${path}" must be a JSON value; ${x} is not (use null or a string)`);
      return;
    }
    if (typeof x !== 'object') fail(where, `"${path}" must be a JSON value, got ${typeof x === 'function' ? 'a function' : typeof x}`);
    if (seen.has(x)) fail(where, `"${path}" refers to itself (a cycle): not a JSON value`);
    seen.add(x);
    if (Array.isArray(x)) x.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1));
    else {
      const proto = Object.getPrototypeOf(x);
      if (proto !== Object.prototype && proto !== null) fail(where, `"${path}" must be plain JSON; got a ${(x as object).constructor?.name ?? 'class'} instance`);
      for (const [k, item] of Object.entries(x)) walk(item, `${path}.${k}`, depth + 1);
    }
    seen.delete(x);
  };
  walk(v, field, 0);
  return v as AssessmentValue;
}

export function checkOptionalString(where: string, field: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') fail(where, `"${field}" must be a string, got ${show(v)}`);
  return v;
}

export function checkMetadata(where: string, v: unknown): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  const o = requireObject(`${where} "metadata"`, v);
  const out: Record<string, string> = {};
  for (const [k, item] of Object.entries(o)) {
    // MLflow's metadata is a string map: other JSON values are stored as their JSON text.
    if (typeof item === 'string') out[k] = item;
    else out[k] = JSON.stringify(checkValue(where, `metadata.${k}`, item));
  }
  return out;
}

export function checkSpanId(where: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^[0-9a-f]{16}$/.test(v)) fail(where, `"spanId" must be a 16-hex-digit span id, got ${show(v)}`);
  return v;
}

export function checkError(where: string, v: unknown): AssessmentErrorJson | undefined {
  if (v === undefined) return undefined;
  if (v instanceof Error) return { error_code: v.name || 'Error', error_message: v.message };
  const o = requireObject(`${where} "error"`, v);
  const code = o['errorCode'] ?? o['error_code'];
  const message = o['errorMessage'] ?? o['error_message'];
  if (code !== undefined && typeof code !== 'string') fail(where, `"error.errorCode" must be a string, got ${show(code)}`);
  if (message !== undefined && typeof message !== 'string') fail(where, `"error.errorMessage" must be a string, got ${show(message)}`);
  if (code === undefined && message === undefined) fail(where, '"error" needs an errorCode or an errorMessage (or pass an Error)');
  const out: AssessmentErrorJson = {};
  if (code !== undefined) out.error_code = code as string;
  if (message !== undefined) out.error_message = message as string;
  return out;
}

export function checkTraceId(where: string, v: unknown): string {
  return checkNonEmptyString(where, 'traceId', v);
}

export function checkAssessmentId(where: string, v: unknown): string {
  return checkNonEmptyString(where, 'assessmentId', v);
}
