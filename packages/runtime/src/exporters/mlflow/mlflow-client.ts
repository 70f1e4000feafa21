/**
 * `MlflowClient`: the REST client MLflow's TS SDK exports (spec D.8), over the same HTTP code
 * the MLflow destination uses (connection, auth, timeouts, error mapping), so the two cannot
 * disagree on what a trace looks like on the server.
 */
import { TraceInfoEntity, type TraceData, type TraceEntity, type TraceInfo } from '../../model/trace.js';
import { resolveConnection } from './connection.js';
import { createExperimentOnServer, deleteExperimentOnServer } from './experiments.js';
import { getTraceFromServer, getTraceInfoFromServer } from './reader.js';
import { MlflowRestClient } from './rest-client.js';
import { startTraceOnServer, uploadTraceDataToServer } from './trace-export.js';

export interface MlflowClientOptions {
  /** The tracking server, e.g. "http://localhost:5000" (auth from MLFLOW_TRACKING_TOKEN or _USERNAME/_PASSWORD, or user:pass in the URI). */
  trackingUri: string;
  /**
   * MLflow's SDK takes an auth provider here; tracewright reads the same credentials from the
   * environment / URI, so a provider is accepted for source compatibility and not consulted.
   */
  authProvider?: unknown;
  /** Per-request timeout in ms (default MLFLOW_HTTP_REQUEST_TIMEOUT or 30 s). */
  timeoutMs?: number;
}

function nonEmpty(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`MlflowClient.${what} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

export class MlflowClient {
  private readonly client: MlflowRestClient;

  constructor(options: MlflowClientOptions) {
    if (options === null || typeof options !== 'object') throw new TypeError('new MlflowClient(options): expected { trackingUri }');
    this.client = new MlflowRestClient(resolveConnection(options.trackingUri, options.timeoutMs));
  }

  /** The tracking server's base URL. */
  getHost(): string {
    return this.client.connection.baseUrl;
  }

  /** StartTraceV3: logs `traceInfo` in its experiment; resolves to the info the server stored (with its tags). */
  async createTrace(traceInfo: TraceInfo): Promise<TraceInfoEntity> {
    if (traceInfo === null || typeof traceInfo !== 'object') throw new TypeError('MlflowClient.createTrace(traceInfo): expected a TraceInfo');
    const experimentId = traceInfo.traceLocation?.mlflowExperiment?.experimentId;
    return TraceInfoEntity.fromJson(await startTraceOnServer(this.client, traceInfo, nonEmpty(experimentId, 'createTrace(traceInfo): traceInfo.traceLocation.mlflowExperiment.experimentId')));
  }

  /** The trace's info and spans; rejects when the server has no such trace. */
  async getTrace(traceId: string): Promise<TraceEntity> {
    const trace = await getTraceFromServer(this.client, nonEmpty(traceId, 'getTrace(traceId): traceId'));
    if (!trace) throw new Error(`MlflowClient.getTrace: trace ${traceId} not found on ${this.getHost()}`);
    return trace;
  }

  /** The trace's info alone; rejects when the server has no such trace. */
  async getTraceInfo(traceId: string): Promise<TraceInfoEntity> {
    const info = await getTraceInfoFromServer(this.client, nonEmpty(traceId, 'getTraceInfo(traceId): traceId'));
    if (!info) throw new Error(`MlflowClient.getTraceInfo: trace ${traceId} not found on ${this.getHost()}`);
    return info;
  }

  /** PUTs the spans as the trace's `traces.json` artifact (where the info's tags say, as the server set them). */
  async uploadTraceData(traceInfo: TraceInfo, traceData: TraceData): Promise<void> {
    const traceId = nonEmpty(traceInfo?.traceId, 'uploadTraceData(traceInfo, traceData): traceInfo.traceId');
    if (!Array.isArray(traceData?.spans)) throw new TypeError('MlflowClient.uploadTraceData(traceInfo, traceData): traceData.spans must be an array of spans');
    await uploadTraceDataToServer(this.client, traceInfo.tags, traceId, traceData.spans);
  }

  /** CreateExperiment; resolves to the new experiment's id. */
  createExperiment(name: string, artifactLocation?: string, tags?: Record<string, string>): Promise<string> {
    return createExperimentOnServer(this.client, nonEmpty(name, 'createExperiment(name): name'), artifactLocation, tags);
  }

  /** DeleteExperiment. */
  deleteExperiment(experimentId: string): Promise<void> {
    return deleteExperimentOnServer(this.client, nonEmpty(experimentId, 'deleteExperiment(experimentId): experimentId'));
  }
}
