/**
 * An OpenTelemetry `Tracer` (the structural interface the AI SDK calls; no OTel SDK, nothing
 * registered globally) that records the AI SDK's telemetry spans as tracewright spans.
 *
 * The AI SDK opens every span with `startActiveSpan(name, { attributes }, fn)`; `fn` runs as
 * the active tracewright span, so model calls, tool executions and whatever the user's tools
 * trace themselves nest under it, and concurrent calls never share a parent by accident.
 */
import { SpanAttributeKey } from '../../model/constants.js';
import { currentFrame } from '../../core/context.js';
import { reportInternalError } from '../../core/diagnostics.js';
import { NO_OP_SPAN, type LiveSpan } from '../../core/live-span.js';
import { runtimeState } from '../../core/state.js';
import { beginSpan, frameFor } from '../../core/tracer.js';
import { FIRST_TOKEN_EVENT } from '../common/llm-call.js';
import { displayName, inputsOf, keptAttributes, llmAttributes, outputsOf, spanTypeFor, usageOf } from './span-mapping.js';

type Attrs = Record<string, unknown>;
interface SpanOptionsLike {
  attributes?: Attrs;
}
interface StatusLike {
  code?: number;
  message?: string;
}

const OTEL_ERROR = 2;

/** The OTel `Span` methods the AI SDK (and any OTel caller) may use, recorded into `live`. */
class RecordedSpan {
  private readonly attrs: Attrs;
  constructor(
    private readonly name: string,
    readonly live: LiveSpan,
    attributes: Attrs,
  ) {
    this.attrs = { ...attributes };
  }
  spanContext() {
    return { traceId: this.live.traceId.replace(/^tr-/, ''), spanId: this.live.spanId, traceFlags: this.live === NO_OP_SPAN ? 0 : 1 };
  }
  isRecording(): boolean {
    return this.live !== NO_OP_SPAN;
  }
  setAttribute(key: string, value: unknown): this {
    this.attrs[key] = value;
    return this;
  }
  setAttributes(attributes: Attrs): this {
    Object.assign(this.attrs, attributes);
    return this;
  }
  addEvent(name: string, attributes?: unknown): this {
    guard('addEvent', () => {
      if (name === 'ai.stream.firstChunk') this.live.addEvent({ name: FIRST_TOKEN_EVENT });
      else this.live.addEvent({ name, attributes: isAttrs(attributes) ? (attributes as Record<string, string>) : undefined });
    });
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  updateName(): this {
    return this;
  }
  setStatus(status: StatusLike): this {
    if (status?.code === OTEL_ERROR) guard('setStatus', () => this.live.setStatus('ERROR', status.message));
    return this;
  }
  /** The SDK passes `{ name, message, stack }` copied off its error; the name (e.g. AI_APICallError) is kept. */
  recordException(exception: unknown): void {
    guard('recordException', () => {
      const e = exception as { name?: unknown; message?: unknown; stack?: unknown } | string;
      if (typeof e === 'object' && e !== null && !(e instanceof Error)) {
        const error = new Error(String(e.message ?? ''));
        error.name = typeof e.name === 'string' ? e.name : 'Error';
        error.stack = typeof e.stack === 'string' ? e.stack : `${error.name}: ${error.message}`;
        this.live.recordException(error);
      } else this.live.recordException(e);
    });
  }
  end(): void {
    if (this.live === NO_OP_SPAN) return;
    guard('end span', () => {
      const a = this.attrs;
      this.live.setAttributes({ ...keptAttributes(a), ...llmAttributes(this.name, a) });
      const usage = usageOf(this.name, a);
      if (usage) this.live.setAttribute(SpanAttributeKey.TOKEN_USAGE, usage);
      const outputs = outputsOf(this.name, a);
      if (outputs !== undefined) this.live.setOutputs(outputs);
    });
    this.live.end();
  }
}

function isAttrs(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

function guard(what: string, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    reportInternalError(`ai-sdk telemetry: ${what}`, error);
  }
}

function begin(name: string, options: SpanOptionsLike | undefined): RecordedSpan {
  const attributes = options?.attributes ?? {};
  let live: LiveSpan = NO_OP_SPAN;
  try {
    live = beginSpan({ name: displayName(name, attributes), spanType: spanTypeFor(name), inputs: inputsOf(name, attributes), attributes: llmAttributes(name, attributes) });
  } catch (error) {
    reportInternalError('ai-sdk telemetry: begin span', error);
  }
  return new RecordedSpan(name, live, attributes);
}

export interface TracerLike {
  startSpan(name: string, options?: SpanOptionsLike, context?: unknown): RecordedSpan;
  startActiveSpan<F extends (span: RecordedSpan) => unknown>(name: string, ...rest: unknown[]): ReturnType<F>;
}

/** A tracer for `experimental_telemetry: { isEnabled: true, tracer }`. Stateless: one can serve every call. */
export function createAiSdkTracer(): TracerLike {
  return {
    startSpan(name, options) {
      return begin(name, options);
    },
    startActiveSpan(name: string, ...rest: unknown[]) {
      const fn = rest[rest.length - 1] as (span: RecordedSpan) => never;
      const options = rest.length > 1 ? (rest[0] as SpanOptionsLike | undefined) : undefined;
      const parentFrame = currentFrame();
      const span = begin(name, options);
      if (span.live === NO_OP_SPAN) return fn(span);
      return runtimeState().als.run(frameFor(span.live, parentFrame), () => fn(span));
    },
  };
}
