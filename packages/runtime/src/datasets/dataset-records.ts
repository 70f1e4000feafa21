/**
 * Evaluation dataset records from traces, in the shape of MLflow's `DatasetRecord.to_dict()`
 * (mlflow/entities/dataset_record.py): `inputs` (the root span's inputs), `expectations`
 * (valid expectation assessments, by name), `outputs` (the root span's, when asked), `tags`
 * (the record's string metadata: here each valid feedback as `feedback.<name>` = its JSON),
 * and the source — `{"source_type": "TRACE", "source_data": {"trace_id": ...}}` plus the
 * flattened `source_id` / `source_type` MLflow derives from it. Records not yet stored in a
 * dataset have no `dataset_id` / `dataset_record_id` / times, which the server assigns.
 */
import type { SearchTracesOptions, TraceReader } from '../export/destination.js';
import { rootSpanOf, type Trace } from '../model/trace.js';

export interface DatasetRecordSource {
  source_type: 'TRACE';
  source_data: { trace_id: string };
}

export interface DatasetRecord {
  inputs: Record<string, unknown>;
  outputs?: unknown;
  expectations: Record<string, unknown>;
  tags: Record<string, string>;
  source: DatasetRecordSource;
  source_id: string;
  source_type: 'TRACE';
}

export interface DatasetRecordOptions {
  /** Include the root span's outputs as `outputs` (default false: an evaluation re-runs the app). */
  includeOutputs?: boolean;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** MLflow's `inputs` is a dict: a non-object root input is kept under `"input"`. */
function asInputs(value: unknown): Record<string, unknown> {
  if (isObject(value)) return value;
  return value === undefined ? {} : { input: value };
}

export function datasetRecordOf(trace: Trace, options: DatasetRecordOptions = {}): DatasetRecord {
  if (!trace?.info || !trace.data) throw new TypeError('datasetRecordOf(trace): expected a trace (as returned by getTrace / searchTraces)');
  const root = rootSpanOf(trace);
  const expectations: Record<string, unknown> = {};
  const tags: Record<string, string> = {};
  for (const a of trace.info.assessments ?? []) {
    if (!isObject(a) || a['valid'] === false) continue;
    const name = a['assessment_name'];
    if (typeof name !== 'string') continue;
    const expectation = a['expectation'];
    const feedback = a['feedback'];
    // A later assessment of the same name wins (the list is in logged order).
    if (isObject(expectation)) expectations[name] = expectation['value'];
    else if (isObject(feedback) && feedback['value'] !== undefined) tags[`feedback.${name}`] = JSON.stringify(feedback['value']);
  }
  const traceId = trace.info.traceId;
  const record: DatasetRecord = {
    inputs: asInputs(root?.inputs),
    expectations,
    tags,
    source: { source_type: 'TRACE', source_data: { trace_id: traceId } },
    source_id: traceId,
    source_type: 'TRACE',
  };
  if (options.includeOutputs) record.outputs = root?.outputs ?? null;
  return record;
}

export interface ExportDatasetOptions extends DatasetRecordOptions, Pick<SearchTracesOptions, 'experimentIds' | 'filterString' | 'timeoutMs'> {}

/**
 * Every trace matching the filter, oldest first, as dataset records (paged through; spans
 * are read since inputs come from the root span).
 */
export async function* datasetRecords(reader: TraceReader, options: ExportDatasetOptions = {}): AsyncGenerator<DatasetRecord> {
  let pageToken: string | undefined;
  do {
    const search: SearchTracesOptions = { filterString: options.filterString, orderBy: ['timestamp_ms ASC'], maxResults: 200, includeSpans: true, pageToken };
    if (options.experimentIds) search.experimentIds = options.experimentIds;
    if (options.timeoutMs !== undefined) search.timeoutMs = options.timeoutMs;
    const page = await reader.searchTraces(search);
    for (const t of page.traces) yield datasetRecordOf(t, options);
    pageToken = page.nextPageToken;
  } while (pageToken);
}
