/**
 * `@tracewright/runtime/otel`: the optional bridge between tracewright and an app's own
 * OpenTelemetry setup. The app keeps its provider, exporters, propagator and instrumentations;
 * tracewright registers nothing global. The app opts in by passing two pieces to its own SDK:
 *
 * ```ts
 * const bridge = createOtelBridge();
 * new NodeSDK({
 *   contextManager: bridge.contextManager(new AsyncLocalStorageContextManager()),
 *   spanProcessors: [bridge.spanProcessor, new BatchSpanProcessor(appExporter)],
 *   instrumentations: [new HttpInstrumentation()],
 * }).start();
 * bridge.install(); // tracewright spans started inside an active OTel span become its children
 * ```
 *
 * - contextManager: OTel spans started inside a tracewright span are its children (same trace
 *   id). It wraps the app's context manager: whichever of the active OTel span and the active
 *   tracewright span started last is the parent.
 * - spanProcessor: such OTel spans join the tracewright trace (as spans with their attributes);
 *   OTel spans around tracewright spans (an HTTP server span) are written as a part of the same
 *   trace. The app's own processors and exporters receive every span as before.
 * - install(): a tracewright root span started while an OTel span is active takes it as parent.
 * Without the bridge tracewright neither reads nor writes OTel context.
 */
import { trace, TraceFlags, type Context, type ContextManager, type Span as OtelSpan } from '@opentelemetry/api';
import { getCurrentActiveSpan } from '../core/context.js';
import { reportInternalError } from '../core/diagnostics.js';
import type { LiveSpan } from '../core/live-span.js';
import { REMOTE_PARENT_METADATA_KEY } from '../core/remote-parent.js';
import { runtimeState } from '../core/state.js';
import type { TraceBuffer } from '../core/trace-buffer.js';
import { exportFinishedSpans } from '../core/trace-buffer.js';
import type { RemoteSpanContext } from '../core/trace-context.js';
import { otelTraceIdHex, spanFromJson } from '../model/json.js';
import type { Span } from '../model/span.js';

/** The parts of an SDK span (`ReadableSpan`) read here; structural, so any SDK 1.x/2.x works. */
interface ReadableSpanLike {
  name: string;
  kind?: number;
  spanContext(): { traceId: string; spanId: string; traceFlags: number };
  parentSpanContext?: { spanId: string; isRemote?: boolean } | undefined;
  parentSpanId?: string;
  startTime: [number, number];
  endTime: [number, number];
  status: { code: number; message?: string };
  attributes: Record<string, unknown>;
  events: Array<{ name: string; time: [number, number]; attributes?: Record<string, unknown> }>;
}

export interface OtelBridge {
  /** Wraps the app's context manager (pass the result to the SDK / `context.setGlobalContextManager`). */
  contextManager(inner: ContextManager): ContextManager;
  /** Add to the app's span processors. */
  readonly spanProcessor: {
    onStart(span: OtelSpan, parentContext: Context): void;
    onEnd(span: ReadableSpanLike): void;
    forceFlush(): Promise<void>;
    shutdown(): Promise<void>;
  };
  /** Tracewright root spans started inside an active OTel span nest under it. Returns `uninstall`. */
  install(): () => void;
}

const hrToNs = (t: [number, number]): bigint => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
const STATUS = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

/** An OTel span as a tracewright span (MLflow's span JSON, attributes JSON-encoded). */
function toSpan(s: ReadableSpanLike): Span {
  const attributes: Record<string, string> = { 'mlflow.spanType': JSON.stringify('UNKNOWN') };
  for (const [k, v] of Object.entries(s.attributes)) attributes[k] = JSON.stringify(v);
  const context = s.spanContext();
  return spanFromJson({
    otel_trace_id: context.traceId,
    span_id: context.spanId,
    parent_span_id: s.parentSpanContext?.spanId ?? s.parentSpanId ?? null,
    name: s.name,
    start_time_unix_nano: hrToNs(s.startTime),
    end_time_unix_nano: hrToNs(s.endTime),
    status: { code: STATUS[s.status.code] ?? STATUS[0], message: s.status.message ?? '' },
    attributes,
    events: s.events.map((e) => ({ name: e.name, time_unix_nano: hrToNs(e.time), attributes: e.attributes ?? {} })),
  });
}

/** The start time of an SDK span, ns (undefined for spans of other implementations). */
function startNs(span: OtelSpan): bigint | undefined {
  const t = (span as unknown as { startTime?: unknown }).startTime;
  return Array.isArray(t) && t.length === 2 ? hrToNs(t as [number, number]) : undefined;
}

const MAX_TRACKED_TRACES = 10_000;

export function createOtelBridge(): OtelBridge {
  /** OTel spans recorded into a tracewright trace, by span id: the trace is held open until they end. */
  const adopted = new Map<string, { buffer: TraceBuffer; release: () => void }>();
  /** Traces (hex id) whose tracewright spans nest under OTel spans: their other OTel spans are kept as a part. */
  const joined = new Map<string, { experimentId: string; spans: Span[] }>();

  /** The tracewright span new OTel spans should nest under, if it is innermost here. */
  const innermostTracewright = (ctx: Context): LiveSpan | undefined => {
    const tw = getCurrentActiveSpan();
    if (!tw?.buffer || tw.buffer.isFinished) return undefined;
    const otel = trace.getSpan(ctx);
    if (!otel) return tw;
    const otelStart = startNs(otel);
    // Both active: the one started last is inside the other.
    if (otelStart !== undefined) return otelStart >= tw.startTimeUnixNano ? undefined : tw;
    return otel.spanContext().traceId === otelTraceIdHex(tw.traceId) ? undefined : tw;
  };

  const bridged = (ctx: Context): Context => {
    try {
      const tw = innermostTracewright(ctx);
      if (!tw) return ctx;
      return trace.setSpan(ctx, trace.wrapSpanContext({ traceId: otelTraceIdHex(tw.traceId), spanId: tw.spanId, traceFlags: TraceFlags.SAMPLED }));
    } catch (error) {
      reportInternalError('bridge OpenTelemetry context', error);
      return ctx;
    }
  };

  const spanProcessor: OtelBridge['spanProcessor'] = {
    onStart(span, parentContext) {
      try {
        const { traceId, spanId } = span.spanContext();
        const parentId = trace.getSpan(parentContext)?.spanContext().spanId;
        let buffer = parentId ? adopted.get(parentId)?.buffer : undefined;
        if (!buffer) {
          const tw = getCurrentActiveSpan();
          if (tw?.buffer && !tw.buffer.isFinished && otelTraceIdHex(tw.traceId) === traceId && parentId === tw.spanId) buffer = tw.buffer;
        }
        if (buffer && !buffer.isFinished) adopted.set(spanId, { buffer, release: buffer.hold() });
      } catch (error) {
        reportInternalError('OpenTelemetry bridge onStart', error);
      }
    },
    onEnd(span) {
      try {
        const { traceId, spanId } = span.spanContext();
        const entry = adopted.get(spanId);
        if (entry) {
          adopted.delete(spanId);
          entry.buffer.adoptFinishedSpans([toSpan(span)]);
          entry.release();
          return;
        }
        const part = joined.get(traceId);
        if (!part) return;
        const converted = toSpan(span);
        part.spans.push(converted);
        const parent = span.parentSpanContext;
        const localRoot = parent === undefined ? !span.parentSpanId : parent.isRemote === true;
        if (!localRoot) return;
        joined.delete(traceId);
        const metadata: Record<string, string> = converted.parentId ? { [REMOTE_PARENT_METADATA_KEY]: converted.parentId } : {};
        exportFinishedSpans(converted.traceId, part.experimentId, converted, part.spans, metadata);
      } catch (error) {
        reportInternalError('OpenTelemetry bridge onEnd', error);
      }
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };

  let contextSource: ContextManager | undefined;
  const externalParent = (): RemoteSpanContext | undefined => {
    const otel = contextSource ? trace.getSpan(contextSource.active()) : undefined;
    if (!otel) return undefined;
    const c = otel.spanContext();
    if (!trace.isSpanContextValid(c)) return undefined;
    const sampled = (c.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
    // A recording OTel span of this process: keep its trace's other OTel spans as a part of the trace.
    if (sampled && otel.isRecording() && !joined.has(c.traceId) && joined.size < MAX_TRACKED_TRACES) {
      joined.set(c.traceId, { experimentId: runtimeState().experimentId, spans: [] });
    }
    return { traceIdHex: c.traceId, spanId: c.spanId, sampled, traceState: c.traceState?.serialize() || undefined };
  };

  return {
    contextManager(inner) {
      if (!inner || typeof inner.active !== 'function' || typeof inner.with !== 'function') {
        throw new TypeError('createOtelBridge().contextManager(inner): inner must be an OpenTelemetry ContextManager (e.g. new AsyncLocalStorageContextManager())');
      }
      contextSource = inner;
      return {
        active: () => bridged(inner.active()),
        with: (ctx, fn, thisArg, ...args) => inner.with(ctx, fn, thisArg, ...args),
        bind: (ctx, target) => inner.bind(ctx, target),
        enable() {
          inner.enable();
          return this;
        },
        disable() {
          inner.disable();
          return this;
        },
      };
    },
    spanProcessor,
    install() {
      if (!contextSource) throw new Error('createOtelBridge().install(): call contextManager(inner) first (the bridge reads the OTel context through it)');
      const state = runtimeState();
      state.externalParent = externalParent;
      return () => {
        if (state.externalParent === externalParent) state.externalParent = undefined;
      };
    },
  };
}
