/**
 * Span status as MLflow's TS SDK exposes it: `{ statusCode, description }` with the OTel proto
 * enum names as codes. Accepting user input (setStatus / end) goes through
 * {@link toSpanStatus}, so every entry point recognises the same forms.
 */
import { SpanStatusCode } from './constants.js';

export class SpanStatus {
  readonly statusCode: SpanStatusCode;
  /** Only meaningful for ERROR (the error's message); '' otherwise. */
  readonly description: string;
  constructor(statusCode: SpanStatusCode, description = '') {
    this.statusCode = statusCode;
    this.description = description;
  }
  /** MLflow's `SpanStatus.toJson()` form. */
  toJson(): { status_code: SpanStatusCode; description: string } {
    return { status_code: this.statusCode, description: this.description };
  }
}

/** `'OK'`, `'STATUS_CODE_OK'` (any case) → the code; anything else → undefined. */
export function toSpanStatusCode(value: unknown): SpanStatusCode | undefined {
  if (typeof value !== 'string') return undefined;
  const upper = value.toUpperCase();
  const short = upper.startsWith('STATUS_CODE_') ? upper.slice('STATUS_CODE_'.length) : upper;
  return short === 'OK' || short === 'ERROR' || short === 'UNSET' ? SpanStatusCode[short] : undefined;
}

/** `'OK' | 'ERROR' | 'UNSET'`: the form search filters, the DB column and OTLP names use. */
export function shortStatusCode(code: SpanStatusCode): 'OK' | 'ERROR' | 'UNSET' {
  return code === SpanStatusCode.OK ? 'OK' : code === SpanStatusCode.ERROR ? 'ERROR' : 'UNSET';
}

/**
 * A status given by the program, in a form MLflow's SDK accepts: a SpanStatus (or a plain
 * `{ statusCode, description? }`), or a code string (proto name or short name). undefined for
 * anything else — e.g. tracewright 0.1's `{ code, message }` — and the caller reports it.
 */
export function toSpanStatus(value: unknown, description?: string): SpanStatus | undefined {
  if (value instanceof SpanStatus) return value;
  const direct = toSpanStatusCode(value);
  if (direct) return new SpanStatus(direct, description ?? '');
  if (value !== null && typeof value === 'object') {
    const raw = value as { statusCode?: unknown; description?: unknown };
    const code = toSpanStatusCode(raw.statusCode);
    if (!code) return undefined;
    const text = raw.description ?? description;
    return new SpanStatus(code, typeof text === 'string' ? text : '');
  }
  return undefined;
}
