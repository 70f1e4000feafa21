/**
 * Spans recorded in another thread (a worker) for a trace that lives here. A worker is a
 * separate isolate with its own tracer, so its spans cannot join the parent's TraceBuffer
 * directly: the worker records them in a {@link RemoteTraceBuffer} that carries the parent's
 * trace id and posts each finished subtree over a MessagePort; the parent side
 * ({@link receiveRemoteSpans}) grafts them into the still-open trace, which it holds open
 * until the worker says it is done or the port closes (bounded by the orphan wait).
 */
import type { MessagePort } from 'node:worker_threads';
import { SpanAttributeKey } from '../model/constants.js';
import { parseJsonWithBigTimes, spanFromJson, spanToJsonText } from '../model/json.js';
import type { Span } from '../model/span.js';
import { reportInternalError } from './diagnostics.js';
import { newTraceId } from './ids.js';
import { LiveSpan } from './live-span.js';
import { exportFinishedSpans, TraceBuffer } from './trace-buffer.js';

/** Metadata keys linking a trace of late worker spans back to the trace it belonged to. */
export const REMOTE_PARENT_TRACE_KEY = 'tracewright.remoteParentTraceId';
export const REMOTE_PARENT_SPAN_KEY = 'tracewright.remoteParentSpanId';

/** Trace-level updates made in the worker (updateCurrentTrace), applied to the parent's trace. */
interface TraceUpdates {
  metadata: Record<string, string>;
  tags: Record<string, string>;
  clientRequestId?: string;
  requestPreview?: string;
  responsePreview?: string;
  stateOverride?: 'OK' | 'ERROR';
}

/** The wire protocol: plain objects and strings only, so any structured-clone channel carries it. */
type RemoteMessage = { kind: 'spans'; spans: string[]; updates: TraceUpdates } | { kind: 'done' };

/**
 * Worker side: the trace buffer of spans begun under a parent in another thread. Spans are
 * posted once every span begun here has ended, so each message holds complete subtrees.
 * Once closed, `isFinished` makes new spans start traces of their own in this thread.
 */
export class RemoteTraceBuffer extends TraceBuffer {
  /** Stands in for the parent span: spans begun under it get its id as their parent id. */
  readonly anchor: LiveSpan;
  private readonly live = new Set<LiveSpan>();
  private ended: Span[] = [];
  private users = 0;
  private closed = false;

  constructor(
    traceId: string,
    parentSpanId: string,
    private readonly port: MessagePort,
  ) {
    super(traceId, '');
    this.anchor = new LiveSpan(this, traceId, parentSpanId, null, 'remote parent', 0n);
  }

  override get isFinished(): boolean {
    return this.closed;
  }

  override onSpanStart(span: LiveSpan): void {
    this.live.add(span);
  }

  override onSpanEnd(span: LiveSpan): void {
    // The anchor (ended by user code through getCurrentActiveSpan) is not a span of ours.
    if (!this.live.delete(span)) return;
    this.ended.push(span);
    if (this.live.size === 0) {
      this.flush();
      this.closeIfIdle();
    }
  }

  /** A runInParentTrace call starts using this context. */
  enter(): void {
    this.users++;
  }

  /** ...and is done with it: once nothing runs or is open under it, the parent is told. */
  leave(): void {
    this.users--;
    if (this.users > 0) return;
    // Spans left open (an unconsumed stream) must not hold back those that ended: the
    // worker may exit before they do.
    this.flush();
    this.closeIfIdle();
  }

  private closeIfIdle(): void {
    if (this.users > 0 || this.live.size > 0 || this.closed) return;
    this.closed = true;
    this.post({ kind: 'done' });
  }

  private flush(): void {
    if (this.ended.length === 0) return;
    const spans = this.ended.map(spanToJsonText);
    this.ended = [];
    const updates: TraceUpdates = { metadata: this.metadata, tags: this.tags };
    if (this.clientRequestId !== undefined) updates.clientRequestId = this.clientRequestId;
    if (this.requestPreview !== undefined) updates.requestPreview = this.requestPreview;
    if (this.responsePreview !== undefined) updates.responsePreview = this.responsePreview;
    if (this.stateOverride !== undefined) updates.stateOverride = this.stateOverride;
    this.post({ kind: 'spans', spans, updates });
  }

  private post(message: RemoteMessage): void {
    try {
      this.port.postMessage(message);
    } catch (error) {
      reportInternalError('post worker spans to the parent thread', error);
    }
  }
}

/**
 * Parent side: holds `buffer` open and grafts the spans arriving on `port` into it. The
 * port is unref'd: waiting for a worker's spans never keeps the process alive by itself.
 */
export function receiveRemoteSpans(port: MessagePort, buffer: TraceBuffer): void {
  const release = buffer.hold();
  port.on('message', (message: unknown) => {
    try {
      const m = message as RemoteMessage;
      if (m?.kind === 'spans' && Array.isArray(m.spans)) {
        graftRemoteSpans(buffer, m.spans.map((text) => spanFromJson(parseJsonWithBigTimes(String(text)))), m.updates);
      } else if (m?.kind === 'done') {
        release();
        port.close();
      } else {
        throw new TypeError(`unexpected message ${JSON.stringify(message)?.slice(0, 100)}`);
      }
    } catch (error) {
      reportInternalError('receive worker spans', error);
    }
  });
  // The worker exited or was terminated without saying it was done.
  port.on('close', release);
  port.unref();
}

function graftRemoteSpans(buffer: TraceBuffer, spans: Span[], updates: TraceUpdates | undefined): void {
  if (buffer.adoptFinishedSpans(spans)) {
    if (updates) applyUpdates(buffer, updates);
    return;
  }
  // The parent trace was already exported (the worker outlived the orphan wait, or the
  // parent did not wait for it): keep the spans as traces of their own, linked by metadata.
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const tops = spans.filter((s) => s.parentId === null || !byId.has(s.parentId));
  const topOf = (span: Span): Span => {
    let s = span;
    while (s.parentId !== null && byId.has(s.parentId)) s = byId.get(s.parentId)!;
    return s;
  };
  const members = new Map<Span, Span[]>(tops.map((t) => [t, []]));
  for (const span of spans) members.get(topOf(span))!.push(span);
  for (const top of tops) {
    const traceId = newTraceId();
    const metadata = { ...updates?.metadata, [REMOTE_PARENT_TRACE_KEY]: buffer.traceId, [REMOTE_PARENT_SPAN_KEY]: top.parentId ?? '' };
    for (const span of members.get(top)!) {
      span.traceId = traceId;
      span.encodedAttributes[SpanAttributeKey.TRACE_ID] = JSON.stringify(traceId);
    }
    top.parentId = null;
    exportFinishedSpans(traceId, buffer.experimentId, top, members.get(top)!, metadata);
  }
  reportInternalError(
    'graft worker spans',
    new Error(`trace ${buffer.traceId} was already exported; ${spans.length} worker span(s) were recorded as ${tops.length} trace(s) of their own`),
  );
}

function applyUpdates(buffer: TraceBuffer, updates: TraceUpdates): void {
  Object.assign(buffer.metadata, updates.metadata);
  Object.assign(buffer.tags, updates.tags);
  if (updates.clientRequestId !== undefined) buffer.clientRequestId = updates.clientRequestId;
  if (updates.requestPreview !== undefined) buffer.requestPreview = updates.requestPreview;
  if (updates.responsePreview !== undefined) buffer.responsePreview = updates.responsePreview;
  if (updates.stateOverride !== undefined) buffer.stateOverride = updates.stateOverride;
}
