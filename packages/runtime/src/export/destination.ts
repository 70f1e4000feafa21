import type { Trace, TraceEntity } from '../model/trace.js';

/**
 * Where completed traces go. The tracer calls `export` once per finished trace on the hot
 * path, so implementations must return immediately (buffer, then write/send in the
 * background) and must never throw: failures are reported through `reportFailure` (logged
 * once, counted) and never lose other traces. The trace's `info` summary is built on its first
 * read, so read it where the trace is written, not in `export`, to keep that cost off the call.
 */
export interface TraceDestination {
  /** Short human name for logs, e.g. "local store ./mlruns" or "mlflow http://localhost:5000". */
  readonly description: string;
  export(trace: Trace): void;
  /** Resolves when everything handed to `export` so far is written/delivered or given up. */
  flush(): Promise<void>;
  /** Flushes and releases resources (timers, file handles, sockets). */
  shutdown(): Promise<void>;
}

export interface SearchTracesOptions {
  /** Default: the active experiment. */
  experimentIds?: string[];
  /** MLflow filter string, e.g. "metadata.`mlflow.trace.user` = 'u1'" (plus OR/NOT/parentheses). */
  filterString?: string;
  /** e.g. ["timestamp_ms DESC"]. Default newest first. */
  orderBy?: string[];
  /** Page size; default 100. */
  maxResults?: number;
  pageToken?: string;
  /** false → trace infos only (spans left empty). Default true. */
  includeSpans?: boolean;
  /**
   * Time budget in ms for evaluating the filter (default 10,000; Infinity: none). Past it the
   * search throws SearchTimeoutError. Honoured by the local store and InMemoryDestination; an
   * MLflow server applies its own limits.
   */
  timeoutMs?: number;
}

export interface TracePage {
  /** With MLflow's `toJson()`; `JSON.stringify(page)` writes MLflow's trace JSON. */
  traces: TraceEntity[];
  /** Absent on the last page. */
  nextPageToken?: string;
}

export interface DeleteTracesOptions {
  experimentId?: string;
  traceIds?: string[];
  /** Delete traces that started before this instant (ms since epoch). */
  maxTimestampMillis?: number;
  /** Keep at most this many newest traces; delete the rest. */
  maxTraces?: number;
}

/** A destination that can also be read back: the local store and the MLflow server. */
export interface TraceReader {
  getTrace(traceId: string): Promise<TraceEntity | undefined>;
  searchTraces(options?: SearchTracesOptions): Promise<TracePage>;
  deleteTraces(options: DeleteTracesOptions): Promise<number>;
}
