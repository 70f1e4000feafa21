/**
 * The per-trace index record: every TraceInfo field search can filter or sort on, plus where
 * the body frame lives. Previews and the deprecated `mlflow.traceInputs/Outputs` metadata
 * copies (up to 2.5 KB per trace, never used to find traces in practice) stay in the body
 * only, which keeps the index — held in memory by readers — small. A filter or order_by that
 * does name those keys makes the reader hydrate infos from the bodies instead (correct, slower).
 */
import { TraceMetadataKey, type TraceState } from '../model/constants.js';
import type { TraceInfo } from '../model/trace.js';

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
    for (const k in metadata) if (!BODY_ONLY_METADATA_KEYS.includes(k)) compact[k] = metadata[k]!;
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
  return JSON.stringify(record);
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
    assessments: [],
  };
  if (r.d !== undefined) info.executionDuration = r.d;
  if (r.c !== undefined) info.clientRequestId = r.c;
  return info;
}

/** True when a filter/order_by refers to data that only the bodies hold. */
export function mentionsBodyOnlyFields(...texts: Array<string | undefined>): boolean {
  return texts.some((t) => t !== undefined && BODY_ONLY_METADATA_KEYS.some((k) => t.includes(k)));
}
