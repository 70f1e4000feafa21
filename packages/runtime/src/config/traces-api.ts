/**
 * Reading traces back through the active configuration (local store or MLflow server), as
 * mlflow.get_trace / search_traces / delete_traces. Each call first flushes what the active
 * destination still buffers, so a trace that just finished is found.
 */
import { flushTraces, getDestination } from '../api/control.js';
import { runtimeState } from '../core/state.js';
import type { DeleteTracesOptions, SearchTracesOptions, TracePage, TraceReader } from '../export/destination.js';
import type { TraceEntity } from '../model/trace.js';
import { isTraceReader } from './fan-out.js';

async function activeReader(where: string): Promise<TraceReader> {
  const destination = getDestination();
  if (!destination) throw new Error(`${where}: no trace destination is configured`);
  if (!isTraceReader(destination)) {
    throw new Error(
      `${where}: the active destination (${destination.description}) cannot be read back; ` +
        'traces are searchable in a local store (setTrackingUri("./mlruns")) or on an MLflow server (setTrackingUri("http://...")).',
    );
  }
  await flushTraces();
  return destination;
}

/** The trace with this id, or undefined if the active store has none. */
export async function getTrace(traceId: string): Promise<TraceEntity | undefined> {
  if (typeof traceId !== 'string' || traceId === '') {
    throw new TypeError(`getTrace(traceId): expected a trace id string, got ${JSON.stringify(traceId)}`);
  }
  return (await activeReader('getTrace')).getTrace(traceId);
}

/**
 * Searches traces with an MLflow filter string, e.g.
 * `searchTraces({ filterString: "metadata.\`mlflow.trace.user\` = 'user123'" })`.
 * Default: the active experiment, newest first, 100 per page (`nextPageToken` for more).
 */
export async function searchTraces(options: SearchTracesOptions = {}): Promise<TracePage> {
  if (options === null || typeof options !== 'object') throw new TypeError('searchTraces(options): options must be an object');
  const reader = await activeReader('searchTraces');
  return reader.searchTraces({ ...options, experimentIds: options.experimentIds ?? [runtimeState().experimentId] });
}

/**
 * Deletes traces of the active experiment (or `experimentId`) by id, age (`maxTimestampMillis`)
 * or count (`maxTraces` newest kept). Resolves the number deleted.
 */
export async function deleteTraces(options: DeleteTracesOptions): Promise<number> {
  if (options === null || typeof options !== 'object') throw new TypeError('deleteTraces(options): options must be an object');
  const reader = await activeReader('deleteTraces');
  return reader.deleteTraces({ ...options, experimentId: options.experimentId ?? runtimeState().experimentId });
}
