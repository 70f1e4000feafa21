/**
 * `createOtlpDestination()` — standard OpenTelemetry spans to any OTLP/HTTP collector (or an
 * MLflow server's /v1/traces). Spans carry MLflow's attributes as JSON-encoded strings; the
 * root span also carries user.id, session.id and mlflow.traceTag.<k> so an MLflow server
 * behind the collector rebuilds the same trace (spec §5.6).
 */
import type { TraceDestination } from '../../export/destination.js';
import type { Trace } from '../../model/trace.js';
import { DeliveryPipeline, resolvePipelineConfig, type DeliveryOptions } from '../delivery/pipeline.js';
import { RequestGroup } from '../http/request-group.js';
import { resolveOtlpConfig, type OtlpProtocol } from './config.js';
import { reportInternalError } from '../../core/diagnostics.js';
import { partialSuccessOf } from './partial-success.js';
import { postOtlp } from './post.js';
import { envelopeFromEnv } from './resource.js';
import { spanViewsOf } from './span-view.js';

export interface OtlpDestinationOptions {
  /**
   * Traces endpoint, e.g. "http://collector:4318/v1/traces" (a bare origin gets /v1/traces).
   * Default: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces,
   * else http://localhost:4318/v1/traces.
   */
  endpoint?: string;
  /** Extra request headers; merged over OTEL_EXPORTER_OTLP_HEADERS / _TRACES_HEADERS. */
  headers?: Record<string, string>;
  /** Default: OTEL_EXPORTER_OTLP_TRACES_PROTOCOL / OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf. */
  protocol?: OtlpProtocol;
  /** Default: OTEL_EXPORTER_OTLP_(TRACES_)COMPRESSION, else gzip. */
  compression?: 'gzip' | 'none';
  /** Batching, queue bounds, retries, per-request timeout (default OTEL_EXPORTER_OTLP_TIMEOUT or 10 s). */
  delivery?: DeliveryOptions;
}

/** Spans per request, as OpenTelemetry's BatchSpanProcessor default. */
const MAX_SPANS_PER_REQUEST = 512;

export function createOtlpDestination(options: OtlpDestinationOptions = {}): TraceDestination {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('createOtlpDestination(options): options must be an object');
  }
  const config = resolveOtlpConfig({ ...options, timeoutMs: options.delivery?.timeoutMs });
  const envelope = envelopeFromEnv();
  const description = `otlp ${config.url.href}`;
  const requests = new RequestGroup();
  const post = { url: config.url, headers: config.headers, protocol: config.protocol, gzip: config.compression === 'gzip', timeoutMs: config.timeoutMs, group: requests };

  const pipeline = new DeliveryPipeline<Trace>(
    resolvePipelineConfig(
      {
        name: description,
        weigh: (trace) => trace.data.spans.length,
        maxBatchItems: Infinity,
        maxBatchWeight: MAX_SPANS_PER_REQUEST,
        batchDelayMs: 1000,
        concurrency: 2,
        requests,
        send: async (traces) => {
          const spans = traces.flatMap((t) => spanViewsOf(t, { traceLevelAttributes: true }));
          const partial = partialSuccessOf(await postOtlp(post, envelope, spans));
          if (partial) {
            reportInternalError(
              `export to ${description}: partially rejected`,
              new Error(`the collector rejected ${partial.rejectedSpans} of ${spans.length} span(s): ${partial.errorMessage || '(no reason given)'}`),
            );
          }
        },
      },
      options.delivery,
    ),
  );

  return {
    description,
    export: (trace) => pipeline.enqueue(trace),
    flush: () => pipeline.flush(),
    shutdown: () => pipeline.shutdown(),
  };
}
