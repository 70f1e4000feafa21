/**
 * A tracing processor for the OpenAI Agents SDK (its `TracingProcessor` interface) that records
 * the SDK's traces and spans as tracewright spans. An SDK trace becomes a span under whatever
 * tracewright span is active where the run starts (so runs nest under the user's @Trace /
 * withSpan spans); each SDK span becomes a child of its SDK parent. Nothing is read from or
 * sent to OpenAI's trace exporter; `tracingApiKey` is never read.
 */
import { SpanAttributeKey, SpanType } from '../../model/constants.js';
import { reportInternalError } from '../../core/diagnostics.js';
import { NO_OP_SPAN, type LiveSpan } from '../../core/live-span.js';
import { beginSpan } from '../../core/tracer.js';
import { mapEnd, mapStart } from './span-data.js';

interface SdkTrace {
  traceId: string;
  name?: string;
  groupId?: string | null;
  metadata?: Record<string, unknown>;
}
interface SdkSpan {
  traceId: string;
  spanId: string;
  parentId: string | null;
  spanData: Record<string, any>;
  error: { message: string; data?: Record<string, unknown> } | null;
}

function guard(what: string, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    reportInternalError(`openai-agents processor: ${what}`, error);
  }
}

export class TracewrightAgentsProcessor {
  /** false after autolog({ disable: true }): new SDK traces are not recorded (open ones finish). */
  active = true;
  /**
   * The SDK trace providers this processor was added to (one per process, normally). Forgotten
   * on disable, since the SDK may drop it meanwhile; if it is then added twice, the guards below
   * record each SDK span once.
   */
  registeredWith = new WeakSet<object>();
  private readonly traces = new Map<string, LiveSpan>();
  private readonly spans = new Map<string, LiveSpan>();
  /** Open SDK spans per SDK trace. */
  private readonly openSpans = new Map<string, number>();

  async onTraceStart(trace: SdkTrace): Promise<void> {
    if (!this.active || this.traces.has(trace.traceId)) return;
    guard('trace start', () => {
      const live = beginSpan({ name: trace.name || 'Agent workflow', spanType: SpanType.CHAIN, attributes: trace.groupId ? { 'openai_agents.group_id': trace.groupId } : undefined });
      if (live !== NO_OP_SPAN) this.traces.set(trace.traceId, live);
    });
  }

  async onTraceEnd(trace: SdkTrace): Promise<void> {
    const live = this.traces.get(trace.traceId);
    if (!live) return;
    this.traces.delete(trace.traceId);
    guard('trace end', () => live.end());
  }

  async onSpanStart(span: SdkSpan): Promise<void> {
    if (!this.active || this.spans.has(span.spanId)) return;
    guard('span start', () => {
      const parent = (span.parentId ? this.spans.get(span.parentId) : undefined) ?? this.traces.get(span.traceId);
      const start = mapStart(span.spanData);
      const live = beginSpan({ ...start, parent });
      if (live === NO_OP_SPAN) return;
      this.spans.set(span.spanId, live);
      this.openSpans.set(span.traceId, (this.openSpans.get(span.traceId) ?? 0) + 1);
    });
  }

  async onSpanEnd(span: SdkSpan): Promise<void> {
    const live = this.spans.get(span.spanId);
    if (!live) return;
    this.spans.delete(span.spanId);
    const open = (this.openSpans.get(span.traceId) ?? 1) - 1;
    if (open > 0) this.openSpans.set(span.traceId, open);
    else this.openSpans.delete(span.traceId);
    guard('span end', () => {
      const end = mapEnd(span.spanData);
      if (end.inputs !== undefined) live.setInputs(end.inputs);
      if (end.attributes) live.setAttributes(Object.fromEntries(Object.entries(end.attributes).filter(([, v]) => v !== undefined)));
      if (end.usage) live.setAttribute(SpanAttributeKey.TOKEN_USAGE, end.usage);
      if (end.outputs !== undefined) live.setOutputs(end.outputs);
      if (span.error) {
        const error = new Error(span.error.message);
        // The SDK hands processors a message and data, not the error object; its run spans carry
        // `data.error` = String(error) ("MaxTurnsExceededError: ..."), which names the class.
        const described = typeof span.error.data?.error === 'string' ? /^([A-Za-z_$][\w$]*(?:Error|Exception)): /.exec(span.error.data.error) : null;
        error.name = described && described[1] !== 'Error' ? described[1]! : 'AgentsSpanError';
        error.stack = `${error.name}: ${error.message}`;
        live.recordException(error);
        if (span.error.data) live.setAttribute('openai_agents.error_data', span.error.data);
      }
    });
    live.end();
    // The SDK ends its trace only when the run succeeds: after a failed run's last span, end
    // ours here (with the error), or it would stay open. A later run in the same SDK trace
    // (withTrace around several runs, one failing) then starts a trace of its own.
    if (span.error && span.parentId === null && open <= 0) this.endTrace(span.traceId, span.error.message);
  }

  private endTrace(traceId: string, errorMessage: string): void {
    const root = this.traces.get(traceId);
    if (!root) return;
    this.traces.delete(traceId);
    guard('trace end after a failed run', () => {
      root.setStatus('ERROR', errorMessage);
      root.end();
    });
  }

  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}
