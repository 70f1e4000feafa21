/**
 * The per-trace index record: every TraceInfo field search can filter or sort on, plus where
 * the body frame lives. Previews and the deprecated `mlflow.traceInputs/Outputs` metadata
 * copies (up to 2.5 KB per trace, never used to find traces in practice) stay in the body
 * only, which keeps the index — held in memory by readers — small. A filter or order_by that
 * does name those keys makes the reader hydrate infos from the bodies instead (correct, slower).
 */
import { TraceMetadataKey, TraceState } from '../model/constants.js';
import type { TraceInfo } from '../model/trace.js';
import { asFormatHeader, type FormatHeader } from './format.js';

export interface IndexRecord {
  /** trace id */
  i: string;
  /** experiment id */
  x: string;
  /** request time, ms */
  t: number;
  /** execution duration, ms */
  d?: number;
  s: TraceState;
  c?: string;
  m: Record<string, string>;
  g: Record<string, string>;
  /** body frame offset and length in the paired segment file */
  o: number;
  l: number;
  /** byte length of the info JSON, which starts at byte 8 of the body payload (`{"info":`) */
  il: number;
  /** the trace's assessments (MLflow JSON) when it has any: `feedback.*` / `expectation.*` filters read them */
  a?: unknown[];
}

export interface SealRecord {
  seal: true;
}

export const BODY_INFO_START = Buffer.byteLength('{"info":');

export const BODY_ONLY_METADATA_KEYS: readonly string[] = [TraceMetadataKey.INPUTS, TraceMetadataKey.OUTPUTS];

export function indexRecordText(info: TraceInfo, offset: number, length: number, infoBytes: number): string {
  let metadata = info.traceMetadata;
  if (BODY_ONLY_METADATA_KEYS.some((k) => k in metadata)) {
    // Rebuilt rather than copied + `delete`d: deleting turns the object into a slow dictionary.
    const compact: Record<string, string> = {};
    for (const k of Object.keys(metadata)) if (!BODY_ONLY_METADATA_KEYS.includes(k)) compact[k] = metadata[k]!;
    metadata = compact;
  }
  const record: IndexRecord = {
    i: info.traceId,
    x: info.traceLocation.mlflowExperiment.experimentId,
    t: info.requestTime,
    s: info.state,
    m: metadata,
    g: info.tags,
    o: offset,
    l: length,
    il: infoBytes,
  };
  if (info.executionDuration !== undefined) record.d = info.executionDuration;
  if (info.clientRequestId !== undefined) record.c = info.clientRequestId;
  if (Array.isArray(info.assessments) && info.assessments.length > 0) record.a = info.assessments;
  return JSON.stringify(record);
}

export type IndexEntry =
  | { kind: 'record'; record: IndexRecord }
  | { kind: 'seal' }
  | { kind: 'header'; header: FormatHeader }
  | { kind: 'invalid'; reason: string };

const STATES = new Set<unknown>(Object.values(TraceState));
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function isStringMap(v: unknown): v is Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  // Own keys: with an enumerable key on Object.prototype, for-in failed every record the store read.
  for (const k of Object.keys(v)) if (typeof (v as Record<string, unknown>)[k] !== 'string') return false;
  return true;
}

/** Why `r` is not an index record (each field search and body reads rely on), or undefined. */
function recordProblem(r: Record<string, unknown>): string | undefined {
  if (typeof r.i !== 'string' || r.i === '') return '"i" (trace id) must be a non-empty string';
  if (typeof r.x !== 'string') return '"x" (experiment id) must be a string';
  if (typeof r.t !== 'number' || !Number.isFinite(r.t)) return '"t" (request time) must be a finite number';
  if (r.d !== undefined && (typeof r.d !== 'number' || !Number.isFinite(r.d))) return '"d" (duration) must be a finite number';
  if (!STATES.has(r.s)) return `"s" (state) must be one of ${[...STATES].join(', ')}`;
  if (r.c !== undefined && typeof r.c !== 'string') return '"c" (client request id) must be a string';
  if (!isStringMap(r.m)) return '"m" (metadata) must be an object of strings';
  if (!isStringMap(r.g)) return '"g" (tags) must be an object of strings';
  if (r.a !== undefined && !Array.isArray(r.a)) return '"a" (assessments) must be a list';
  if (!isCount(r.o) || !isCount(r.l) || !isCount(r.il) || r.l === 0 || r.il > r.l) return '"o"/"l"/"il" (body position) must be non-negative integers with il <= l';
  return undefined;
}

/**
 * Classifies one checksum-valid index payload. Another version, a bug or a hand edit can leave
 * valid JSON that is not a record (`null`, `[]`, a string, nulls in fields...): it is reported
 * as invalid, like any damaged record, instead of reaching search code that expects a record.
 */
export function parseIndexEntry(payload: Buffer): IndexEntry {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    return { kind: 'invalid', reason: `unparseable index record: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', reason: `index record is ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}, not an object` };
  }
  const header = asFormatHeader(value);
  if (header) return { kind: 'header', header };
  const obj = value as Record<string, unknown>;
  if (obj.seal === true && Object.keys(obj).length === 1) return { kind: 'seal' };
  const problem = recordProblem(obj);
  return problem ? { kind: 'invalid', reason: `invalid index record: ${problem}` } : { kind: 'record', record: obj as unknown as IndexRecord };
}

/** The compact TraceInfo a reader filters and sorts on (no previews, see above). */
export function compactInfoOf(r: IndexRecord): TraceInfo {
  const info: TraceInfo = {
    traceId: r.i,
    traceLocation: { type: 'MLFLOW_EXPERIMENT', mlflowExperiment: { experimentId: r.x } },
    requestTime: r.t,
    state: r.s,
    traceMetadata: r.m,
    tags: r.g,
    assessments: r.a ?? [],
  };
  if (r.d !== undefined) info.executionDuration = r.d;
  if (r.c !== undefined) info.clientRequestId = r.c;
  return info;
}

/** True when a filter/order_by refers to data that only the bodies hold. */
export function mentionsBodyOnlyFields(...texts: Array<string | undefined>): boolean {
  return texts.some((t) => t !== undefined && BODY_ONLY_METADATA_KEYS.some((k) => t.includes(k)));
}
