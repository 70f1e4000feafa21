import { currentFrame, runInFrame } from '../core/context.js';
import { runtimeState, type TraceScope } from '../core/state.js';
import { TraceMetadataKey } from '../model/constants.js';

export interface UpdateCurrentTraceOptions {
  /** Mutable key/values (searchable as tags.<key>). */
  tags?: Record<string, string>;
  /** Immutable key/values (searchable as metadata.<key>), e.g. { [TRACE_USER_KEY]: 'u1' }. */
  metadata?: Record<string, string>;
  clientRequestId?: string;
  requestPreview?: string;
  responsePreview?: string;
  /** Overrides the trace state without touching span status. */
  state?: 'OK' | 'ERROR';
  /** Shortcut for metadata `mlflow.trace.user`. */
  user?: string;
  /** Shortcut for metadata `mlflow.trace.session`. */
  sessionId?: string;
}

let warnedNoSpan = false;

function toStringMap(where: string, field: string, value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${where}: "${field}" must be an object of string values`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    // MLflow stringifies non-string values (with a warning); JSON keeps objects readable.
    out[k] = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  }
  return out;
}

function optionalString(where: string, field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new TypeError(`${where}: "${field}" must be a string, got ${typeof value}`);
  return value;
}

/**
 * Updates the trace of the active span: tags, metadata (user, session, ...), client request
 * id, previews, state. Outside any span it warns once and does nothing (as MLflow does).
 */
export function updateCurrentTrace(options: UpdateCurrentTraceOptions): void {
  const where = 'updateCurrentTrace(options)';
  if (options === null || typeof options !== 'object') throw new TypeError(`${where}: expected an options object`);
  const tags = options.tags !== undefined ? toStringMap(where, 'tags', options.tags) : undefined;
  const metadata = options.metadata !== undefined ? toStringMap(where, 'metadata', options.metadata) : undefined;
  const clientRequestId = optionalString(where, 'clientRequestId', options.clientRequestId);
  const requestPreview = optionalString(where, 'requestPreview', options.requestPreview);
  const responsePreview = optionalString(where, 'responsePreview', options.responsePreview);
  const user = optionalString(where, 'user', options.user);
  const sessionId = optionalString(where, 'sessionId', options.sessionId);
  if (options.state !== undefined && options.state !== 'OK' && options.state !== 'ERROR') {
    throw new TypeError(`${where}: "state" must be "OK" or "ERROR", got ${JSON.stringify(options.state)}`);
  }

  const buffer = currentFrame()?.span?.buffer;
  if (!buffer) {
    if (!warnedNoSpan && runtimeState().enabled && !currentFrame()?.dropped) {
      warnedNoSpan = true;
      // MLflow's words, so code and log filters written for its SDK keep matching.
      runtimeState().diagnostics.log?.(
        'No active trace found. Please create a span using `withSpan` or `@trace` before calling `updateCurrentTrace`.',
      );
    }
    return;
  }
  // Work that outlived its trace: the trace was already handed to its destination, whose
  // summary is built lazily from this buffer, so a late update must not be kept.
  if (buffer.isFinished) return;
  if (tags) Object.assign(buffer.tags, tags);
  if (metadata) Object.assign(buffer.metadata, metadata);
  if (user !== undefined) buffer.metadata[TraceMetadataKey.TRACE_USER] = user;
  if (sessionId !== undefined) buffer.metadata[TraceMetadataKey.TRACE_SESSION] = sessionId;
  if (clientRequestId !== undefined) buffer.clientRequestId = clientRequestId;
  if (requestPreview !== undefined) buffer.requestPreview = requestPreview;
  if (responsePreview !== undefined) buffer.responsePreview = responsePreview;
  if (options.state !== undefined) buffer.stateOverride = options.state;
}

export interface TracingContextOptions {
  metadata?: Record<string, string>;
  tags?: Record<string, string>;
  /** false: no spans are recorded inside `fn` (global state untouched). */
  enabled?: boolean;
  user?: string;
  sessionId?: string;
}

/**
 * Runs `fn` in a scope whose metadata/tags are added to every trace started inside it
 * (including autologged ones), without creating a span. Scopes nest; inner keys win.
 */
export function tracingContext<T>(options: TracingContextOptions, fn: () => T): T {
  const where = 'tracingContext(options, fn)';
  if (typeof fn !== 'function') throw new TypeError(`${where}: fn must be a function`);
  if (options === null || typeof options !== 'object') throw new TypeError(`${where}: expected an options object`);
  const parent = currentFrame();
  // Entering the storage would turn its promise hooks back on for a process that disabled tracing.
  if (parent === undefined && !runtimeState().enabled) return fn();
  const metadata = { ...parent?.scope?.metadata, ...(options.metadata ? toStringMap(where, 'metadata', options.metadata) : {}) };
  if (options.user !== undefined) metadata[TraceMetadataKey.TRACE_USER] = optionalString(where, 'user', options.user)!;
  if (options.sessionId !== undefined) metadata[TraceMetadataKey.TRACE_SESSION] = optionalString(where, 'sessionId', options.sessionId)!;
  const scope: TraceScope = {
    metadata,
    tags: { ...parent?.scope?.tags, ...(options.tags ? toStringMap(where, 'tags', options.tags) : {}) },
    enabled: options.enabled ?? parent?.scope?.enabled,
  };
  return runInFrame({ span: parent?.span, dropped: parent?.dropped ?? false, scope }, fn);
}
