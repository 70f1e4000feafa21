/**
 * Logs one finished trace to an MLflow server the way current MLflow clients do (spec §5.3):
 *   1. spans as OTLP/protobuf to /v1/traces (server ≥ 3.4; x-mlflow-experiment-id header),
 *   2. StartTraceV3 with the TraceInfo,
 *   3. traces.json to the artifact store unless the server says the spans are in its DB.
 * Each step records its completion on the job, so a retry resumes where the failure was.
 */
import { reportInternalError } from '../../core/diagnostics.js';
import { MLFLOW_EXPERIMENT_ID_HEADER, TraceTagKey } from '../../model/constants.js';
import { traceDataToJsonText, traceInfoToJson, type TraceInfoJson } from '../../model/json.js';
import type { Span } from '../../model/span.js';
import type { Trace, TraceInfo } from '../../model/trace.js';
import { DeliveryFailure, failureFromResponse } from '../delivery/failure.js';
import { postOtlp } from '../otlp/post.js';
import { envelopeFromEnv } from '../otlp/resource.js';
import { spanViewsOf, type OtlpEnvelope } from '../otlp/span-view.js';
import { isContinuedPart } from '../../core/remote-parent.js';
import { artifactPathFor } from './artifacts.js';
import type { MlflowRestClient } from './rest-client.js';
import type { ServerCapabilities } from './server-info.js';

export const SPANS_LOCATION_TRACKING_STORE = 'TRACKING_STORE';
/** Tags only the server sets (spec §2.6); a re-exported trace must not carry stale ones. */
const SERVER_TAGS = new Set<string>([TraceTagKey.ARTIFACT_LOCATION, TraceTagKey.SPANS_LOCATION, 'mlflow.trace.archiveLocation', 'mlflow.trace.archivalFailure']);

export interface ExportJob {
  trace: Trace;
  experimentId?: string;
  /** The OTLP step is over: spans logged, or refused for good (then the artifact carries them). */
  spansLogged?: boolean;
  loggedInfo?: TraceInfoJson;
  done?: boolean;
}

export interface TraceExportContext {
  client: MlflowRestClient;
  description: string;
  experimentId(trace: Trace): Promise<string>;
  capabilities(): Promise<ServerCapabilities>;
  /** Set once the server answered 501/404 on /v1/traces: artifact path from then on. */
  otlpUnavailable: boolean;
}

let envelope: OtlpEnvelope | undefined;

export async function exportTraceJob(job: ExportJob, ctx: TraceExportContext): Promise<void> {
  if (job.done) return;
  job.experimentId ??= await ctx.experimentId(job.trace);
  if (!job.spansLogged && !job.loggedInfo && !ctx.otlpUnavailable) await logSpansViaOtlp(job, ctx);
  if (isContinuedPart(job.trace.info)) {
    // The part of a distributed trace recorded here (its root's parent is in another process):
    // the caller's StartTraceV3 owns the TraceInfo (spec §5 note 18), so only the spans are
    // logged, and the server merges them into the trace by id. Without OTLP they cannot join it.
    if (ctx.otlpUnavailable) {
      reportInternalError(
        `export to ${ctx.description}: distributed trace part`,
        new Error(`${job.trace.info.traceId}: the server does not accept spans over OTLP (MLflow >= 3.4 with a database store), so the spans recorded here cannot join the caller's trace; dropped`),
      );
    }
    job.done = true;
    return;
  }
  if (!job.loggedInfo) job.loggedInfo = await startTrace(job, ctx);
  if (job.loggedInfo.tags?.[TraceTagKey.SPANS_LOCATION] !== SPANS_LOCATION_TRACKING_STORE) await uploadSpans(job, ctx);
  job.done = true;
}

async function logSpansViaOtlp(job: ExportJob, ctx: TraceExportContext): Promise<void> {
  if (job.trace.data.spans.length === 0) return;
  const caps = await ctx.capabilities();
  if (!caps.otlpSpans) {
    ctx.otlpUnavailable = true;
    return;
  }
  try {
    await postOtlp(
      {
        url: ctx.client.url('/v1/traces'),
        headers: { ...ctx.client.connection.headers, [MLFLOW_EXPERIMENT_ID_HEADER]: job.experimentId! },
        protocol: 'http/protobuf',
        gzip: caps.otlpGzip,
        timeoutMs: ctx.client.connection.timeoutMs,
        group: ctx.client.group,
      },
      (envelope ??= envelopeFromEnv()),
      spanViewsOf(job.trace, { traceLevelAttributes: false }),
    );
    job.spansLogged = true;
  } catch (error) {
    if (!(error instanceof DeliveryFailure) || error.kind === 'retryable') throw error;
    if (error.status === 501 || error.status === 404) {
      // File-store server or no OTLP route: every 3.x server takes the artifact path.
      ctx.otlpUnavailable = true;
      return;
    }
    // The server refused these spans (400/413/422): the artifact keeps the trace complete.
    job.spansLogged = true;
    reportInternalError(`export to ${ctx.description}: OTLP span logging`, new Error(`${error.message}; storing spans as traces.json instead`));
  }
}

function startTrace(job: ExportJob, ctx: TraceExportContext): Promise<TraceInfoJson> {
  return startTraceOnServer(ctx.client, job.trace.info, job.experimentId!);
}

function uploadSpans(job: ExportJob, ctx: TraceExportContext): Promise<void> {
  return uploadTraceDataToServer(ctx.client, job.loggedInfo!.tags, job.trace.info.traceId, job.trace.data.spans);
}

/** StartTraceV3 (spec §5.2): logs `info` in `experimentId`; resolves to the info the server stored. */
export async function startTraceOnServer(client: MlflowRestClient, traceInfo: TraceInfo, experimentId: string): Promise<TraceInfoJson> {
  const info = traceInfoToJson(traceInfo);
  info.trace_location = { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: experimentId } };
  for (const key of SERVER_TAGS) delete info.tags[key];
  const reply = await client.json<{ trace?: { trace_info?: TraceInfoJson } }>('POST', '/api/3.0/mlflow/traces', {
    body: { trace: { trace_info: info } },
  });
  const logged = reply.trace?.trace_info;
  if (!logged || typeof logged !== 'object') {
    throw new DeliveryFailure(`POST /api/3.0/mlflow/traces answered without trace.trace_info for ${info.trace_id}`, 'rejected');
  }
  return logged;
}

/** PUTs the `traces.json` artifact of a trace the server logged (its tags say where). */
export async function uploadTraceDataToServer(client: MlflowRestClient, loggedTags: Record<string, string> | undefined, traceId: string, spans: readonly Span[]): Promise<void> {
  const path = artifactPathFor(loggedTags, traceId);
  const response = await client.raw('PUT', path, {
    body: traceDataToJsonText(spans),
    headers: { 'content-type': 'application/json' },
  });
  if (response.status < 200 || response.status >= 300) throw failureFromResponse(response, `PUT ${path}`);
}
