/**
 * What a run of a program shows from the outside, and how two runs differ, in words: every
 * failure of the suite names the field, the untraced value and the traced value.
 */

export type ErrorInfo = { class: string; message: string } | { value: unknown };

export interface Observation {
  /** The program's own log, in order (ordering logs, identity checks, results). */
  log: unknown[];
  /** How `main` ended; null when the process ended before main did (crash, exit). */
  outcome: { returned: unknown } | { threw: ErrorInfo } | null;
  /** Reasons seen by `process.on('unhandledRejection')` (observe mode only). */
  unhandled: ErrorInfo[];
  exitCode: number | null;
  /** Numbers a program measures about itself (compared by the tests that own them, never for equality). */
  metrics: Record<string, number>;
  maxRssKb: number;
  mainMs: number | null;
}

/** JSON-safe copy of a logged value (programs log plain data; this only guards odd cases). */
export function plain(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
  if (value === undefined) return '<undefined>';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return `<function ${value.name}>`;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return describeError(value);
  if (seen.has(value) || depth > 20) return '<cycle or too deep>';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => plain(v, seen, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = plain(v, seen, depth + 1);
  return out;
}

export function describeError(error: unknown): ErrorInfo {
  if (error instanceof Error) return { class: error.constructor?.name ?? error.name, message: error.message };
  return { value: plain(error) };
}

/** A run that never produced a record: it hung (killed at the deadline) or could not start. */
export interface FailedRun {
  failed: string;
}

export type RunResult = (Observation & { crash?: string }) | FailedRun;

const show = (value: unknown) => JSON.stringify(value) ?? String(value);

/**
 * The differences between the untraced and a traced run, one sentence each; empty when they
 * behave the same. Metrics, memory and time are not compared here (their tests bound them).
 */
export function differences(untraced: RunResult, traced: RunResult, variant: string): string[] {
  if ('failed' in untraced) return [`the untraced run itself failed: ${untraced.failed}`];
  if ('failed' in traced) return [`${variant}: ${traced.failed} (the untraced run finished: ${show(untraced.outcome)})`];
  const out: string[] = [];
  const differ = (what: string, a: unknown, b: unknown) => {
    if (show(a) !== show(b)) out.push(`${what}: untraced ${show(a)}, ${variant} ${show(b)}`);
  };
  differ('main', untraced.outcome, traced.outcome);
  const n = Math.max(untraced.log.length, traced.log.length);
  let logDiffs = 0;
  for (let i = 0; i < n && logDiffs < 8; i++) {
    const a = i < untraced.log.length ? untraced.log[i] : '<no entry>';
    const b = i < traced.log.length ? traced.log[i] : '<no entry>';
    if (show(a) !== show(b)) {
      out.push(`log[${i}]: untraced ${show(a)}, ${variant} ${show(b)}`);
      logDiffs++;
    }
  }
  if (untraced.log.length !== traced.log.length) out.push(`log length: untraced ${untraced.log.length}, ${variant} ${traced.log.length}`);
  differ('unhandled rejections', untraced.unhandled, traced.unhandled);
  differ('exit code', untraced.exitCode, traced.exitCode);
  differ('crash reason (stderr)', untraced.crash ?? null, traced.crash ?? null);
  return out;
}
