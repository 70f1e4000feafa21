/**
 * OpenTelemetry plumbing shared by the OTel-based peers (OTel SDK, Langfuse, OpenInference):
 * AsyncLocalStorage context manager, a BatchSpanProcessor holding ≤ MAX_RETAINED_SPANS spans,
 * and an exporter that checks the recorded inputs/outputs and sends nothing.
 */
import { context, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { checkInputs, checkOutputs, MAX_RETAINED_SPANS, type AnyFn, type Wrap } from './scenarios.js';

export class CheckingExporter implements SpanExporter {
  constructor(
    private readonly inputKey: string,
    private readonly outputKey: string,
    private readonly named: boolean,
  ) {}
  export(spans: ReadableSpan[], done: (result: { code: number }) => void): void {
    for (const s of spans.length > 2 ? [spans[0]!, spans[spans.length - 1]!] : spans) {
      checkInputs(s.name, s.attributes[this.inputKey], this.named);
      checkOutputs(s.name, s.attributes[this.outputKey]);
    }
    done({ code: 0 }); // ExportResultCode.SUCCESS
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}

export function batchProcessor(exporter: SpanExporter): BatchSpanProcessor {
  return new BatchSpanProcessor(exporter, {
    maxQueueSize: MAX_RETAINED_SPANS,
    maxExportBatchSize: MAX_RETAINED_SPANS,
    scheduledDelayMillis: 3_600_000,
  });
}

/** Spans a BatchSpanProcessor holds (no public accessor exists). */
export function bufferedSpans(processor: SpanProcessor): number {
  const p = processor as unknown as { _finishedSpans?: unknown[]; processor?: SpanProcessor };
  if (p._finishedSpans) return p._finishedSpans.length;
  if (p.processor) return bufferedSpans(p.processor);
  throw new Error('cannot see the batch processor buffer');
}

/** Registers the provider and an AsyncLocalStorage context manager globally, as an app's setup does. */
export function registerGlobally(spanProcessors: SpanProcessor[]): BasicTracerProvider {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const provider = new BasicTracerProvider({ spanProcessors });
  trace.setGlobalTracerProvider(provider);
  return provider;
}

/**
 * What a tracer of function calls does with the OTel SDK: startActiveSpan, JSON of the named
 * inputs and of the output as attributes, end (after the promise settles for async functions).
 */
export const otelWrap =
  (tracer: Tracer): Wrap =>
  (fn, name, params) =>
  function (this: unknown, ...args: unknown[]) {
    return tracer.startActiveSpan(name, (span) => {
      const inputs: Record<string, unknown> = {};
      for (let i = 0; i < params.length; i++) inputs[params[i]!] = args[i];
      span.setAttribute('input', JSON.stringify(inputs));
      let r: unknown;
      try {
        r = (fn as AnyFn).apply(this, args);
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
        throw error;
      }
      if (r instanceof Promise) {
        return r.then(
          (v) => {
            span.setAttribute('output', JSON.stringify(v));
            span.end();
            return v;
          },
          (error) => {
            span.recordException(error as Error);
            span.setStatus({ code: SpanStatusCode.ERROR });
            span.end();
            throw error;
          },
        );
      }
      span.setAttribute('output', JSON.stringify(r));
      span.end();
      return r;
    });
  } as typeof fn;
