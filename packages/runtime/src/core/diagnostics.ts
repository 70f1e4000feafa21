/**
 * Failures inside tracing (serializer, exporter, store, user span processors) are never
 * thrown into user code. Each distinct failure site is logged once and every occurrence is
 * counted, so a broken exporter cannot flood the logs yet is still visible.
 */
import { runtimeState } from './state.js';

export interface TracingDiagnostics {
  /** Occurrences per failure site, e.g. { "serialize": 3, "export:local store": 1 }. */
  readonly errors: Readonly<Record<string, number>>;
  readonly totalErrors: number;
  /** Traces dropped by exporters (bounded queues, give-ups), per destination. */
  readonly dropped: Readonly<Record<string, number>>;
  /**
   * Spans the program left open that tracewright ended itself, per "<span name> (<reason>)":
   * `timeout` (the trace's wait for open children ran out), `exit` (still open when the process
   * ended), `abandoned` (a generator dropped unfinished). Each is exported with status ERROR.
   */
  readonly unfinishedSpans: Readonly<Record<string, number>>;
}

export function reportInternalError(site: string, error: unknown): void {
  const diag = runtimeState().diagnostics;
  const count = (diag.errors[site] ?? 0) + 1;
  diag.errors[site] = count;
  if (count === 1 && diag.log) {
    try {
      const message = error instanceof Error ? error.message : String(error);
      diag.log(`[tracewright] ${site} failed: ${message} (further failures here are counted, not logged; see getTracingDiagnostics())`);
    } catch {
      // A logger that throws (or no stack left to log with): the count above still tells.
    }
  }
}

export function reportDropped(destination: string, count = 1): void {
  const diag = runtimeState().diagnostics;
  diag.dropped[destination] = (diag.dropped[destination] ?? 0) + count;
}

export function reportUnfinishedSpan(spanName: string, reason: string): void {
  const diag = runtimeState().diagnostics;
  const site = `${spanName} (${reason})`;
  const unfinished = (diag.unfinished ??= {});
  unfinished[site] = (unfinished[site] ?? 0) + 1;
}

export function getTracingDiagnostics(): TracingDiagnostics {
  const diag = runtimeState().diagnostics;
  let totalErrors = 0;
  for (const n of Object.values(diag.errors)) totalErrors += n;
  return { errors: { ...diag.errors }, totalErrors, dropped: { ...diag.dropped }, unfinishedSpans: { ...diag.unfinished } };
}

/** Route tracewright's one-time warnings somewhere else (default: console.warn). `null` silences. */
export function setDiagnosticLogger(log: ((message: string) => void) | null): void {
  runtimeState().diagnostics.log = log;
}

export function resetTracingDiagnostics(): void {
  const diag = runtimeState().diagnostics;
  diag.errors = {};
  diag.dropped = {};
  diag.unfinished = {};
}
