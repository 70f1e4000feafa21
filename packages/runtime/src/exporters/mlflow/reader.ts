/**
 * Reading traces back from an MLflow server with the same API as the local store:
 * SearchTracesV3 for infos (spec §6), then spans from the DB (GetTrace) when the server holds
 * them there, else from the `traces.json` artifact.
 */
import { TraceTagKey } from '../../model/constants.js';
import { parseJsonWithBigTimes, spanFromJson, traceInfoFromJson } from '../../model/json.js';
import type { Span } from '../../model/span.js';
import { TraceDataEntity, TraceEntity, type TraceInfo, type TraceInfoEntity } from '../../model/trace.js';
import type { DeleteTracesOptions, SearchTracesOptions, TracePage } from '../../export/destination.js';
import { failureFromResponse } from '../delivery/failure.js';
import { responseText } from '../http/exchange.js';
import { artifactPathFor } from './artifacts.js';
import { spanFromOtelProtoJson } from './otel-proto-json.js';
import { isNotFound, type MlflowRestClient } from './rest-client.js';
import { SPANS_LOCATION_TRACKING_STORE } from './trace-export.js';

/** The server rejects larger pages (spec §6); callers page with nextPageToken. */
export const MAX_SEARCH_PAGE = 500;
const SPAN_FETCH_CONCURRENCY = 8;

const location = (experimentId: string) => ({ type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: experimentId } });

export async function searchTracesOnServer(
  client: MlflowRestClient,
  defaultExperimentId: () => Promise<string>,
  options: SearchTracesOptions = {},
): Promise<TracePage> {
  const experimentIds = options.experimentIds ?? [await defaultExperimentId()];
  if (!Array.isArray(experimentIds) || experimentIds.length === 0) {
    throw new TypeError('searchTraces: "experimentIds" must be a non-empty array of experiment ids');
  }
  const maxResults = options.maxResults ?? 100;
  if (!Number.isInteger(maxResults) || maxResults < 1) throw new RangeError(`searchTraces: "maxResults" must be a positive integer, got ${String(maxResults)}`);
  const body: Record<string, unknown> = {
    locations: experimentIds.map((id) => location(String(id))),
    max_results: Math.min(maxResults, MAX_SEARCH_PAGE),
  };
  // MLflow's grammar has no OR/NOT: the filter goes through unchanged and the server judges it.
  if (options.filterString) body.filter = options.filterString;
  if (options.orderBy?.length) body.order_by = options.orderBy;
  if (options.pageToken) body.page_token = options.pageToken;
  const reply = await client.json<{ traces?: unknown[]; next_page_token?: string }>('POST', '/api/3.0/mlflow/traces/search', { body });
  const infos = (reply.traces ?? []).map(traceInfoFromJson);
  const traces =
    options.includeSpans === false
      ? infos.map((info) => new TraceEntity(info, new TraceDataEntity()))
      : await mapLimited(infos, SPAN_FETCH_CONCURRENCY, async (info) => new TraceEntity(info, new TraceDataEntity(await fetchSpans(client, info))));
  const page: TracePage = { traces };
  if (reply.next_page_token) page.nextPageToken = reply.next_page_token;
  return page;
}

export async function getTraceFromServer(client: MlflowRestClient, traceId: string): Promise<TraceEntity | undefined> {
  const info = await getTraceInfoFromServer(client, traceId);
  return info && new TraceEntity(info, new TraceDataEntity(await fetchSpans(client, info)));
}

/** GetTraceInfoV3; undefined when the server has no such trace. */
export async function getTraceInfoFromServer(client: MlflowRestClient, traceId: string): Promise<TraceInfoEntity | undefined> {
  if (typeof traceId !== 'string' || traceId === '') throw new TypeError('getTrace(traceId): traceId must be a non-empty string such as "tr-…"');
  try {
    const reply = await client.json<{ trace?: { trace_info?: unknown } }>('GET', `/api/3.0/mlflow/traces/${encodeURIComponent(traceId)}`);
    return reply.trace?.trace_info ? traceInfoFromJson(reply.trace.trace_info) : undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export async function deleteTracesOnServer(client: MlflowRestClient, defaultExperimentId: () => Promise<string>, options: DeleteTracesOptions): Promise<number> {
  const body: Record<string, unknown> = { experiment_id: options.experimentId ?? (await defaultExperimentId()) };
  if (options.traceIds !== undefined) body.request_ids = options.traceIds;
  if (options.maxTimestampMillis !== undefined) body.max_timestamp_millis = options.maxTimestampMillis;
  if (options.maxTraces !== undefined) body.max_traces = options.maxTraces;
  if (body.request_ids === undefined && body.max_timestamp_millis === undefined) {
    throw new TypeError('deleteTraces: give "traceIds" or "maxTimestampMillis" (the server needs one of them)');
  }
  const reply = await client.json<{ traces_deleted?: number }>('POST', '/api/2.0/mlflow/traces/delete-traces', { body });
  return Number(reply.traces_deleted ?? 0);
}

async function fetchSpans(client: MlflowRestClient, info: TraceInfo): Promise<Span[]> {
  if (info.tags[TraceTagKey.SPANS_LOCATION] === SPANS_LOCATION_TRACKING_STORE) {
    try {
      const reply = await client.json<{ trace?: { spans?: unknown[] } }>('GET', '/api/3.0/mlflow/traces/get', {
        query: { trace_id: info.traceId, allow_partial: 'true' },
      });
      return (reply.trace?.spans ?? []).map(spanFromOtelProtoJson);
    } catch (error) {
      // Servers without the GetTrace route (ENDPOINT_NOT_FOUND): the artifact may still exist.
      if (!isNotFound(error)) throw error;
    }
  }
  const path = info.tags[TraceTagKey.ARTIFACT_LOCATION]?.startsWith('mlflow-artifacts:')
    ? artifactPathFor(info.tags, info.traceId)
    : `/ajax-api/2.0/mlflow/get-trace-artifact?request_id=${encodeURIComponent(info.traceId)}`;
  const response = await client.raw('GET', path);
  if (response.status === 404) return [];
  if (response.status < 200 || response.status >= 300) throw failureFromResponse(response, `GET ${path.split('?')[0]}`);
  const data = parseJsonWithBigTimes(responseText(response)) as { spans?: unknown[] };
  return (data.spans ?? []).map(spanFromJson);
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
