/**
 * `createMlflowDestination()` — traces to an MLflow 3.x tracking server exactly as MLflow's
 * own SDKs send them, delivered in the background (bounded queue, retries, one-time
 * warnings), and read back with the same API as the local store.
 */
import { runtimeState } from '../../core/state.js';
import type { DeleteTracesOptions, SearchTracesOptions, TraceDestination, TracePage, TraceReader } from '../../export/destination.js';
import { experimentIdOf, type Trace } from '../../model/trace.js';
import { DeliveryPipeline, resolvePipelineConfig, type DeliveryOptions } from '../delivery/pipeline.js';
import { RequestGroup } from '../http/request-group.js';
import { resolveConnection } from './connection.js';
import { getOrCreateExperiment } from './experiments.js';
import { deleteTracesOnServer, getTraceFromServer, searchTracesOnServer } from './reader.js';
import { MlflowRestClient } from './rest-client.js';
import { assessmentsOnServer } from './assessments.js';
import { afterFlush, type AssessmentBackend } from '../../assessments/backend.js';
import { fetchCapabilities, type ServerCapabilities } from './server-info.js';
import { exportTraceJob, type ExportJob, type TraceExportContext } from './trace-export.js';

export interface MlflowDestinationOptions {
  /** The tracking server, e.g. "http://localhost:5000" (auth from MLFLOW_TRACKING_TOKEN or _USERNAME/_PASSWORD). */
  trackingUri: string;
  /** Experiment that receives the traces (wins over `experimentName`). */
  experimentId?: string;
  /** Experiment by name, created on the server if missing. */
  experimentName?: string;
  /** Queue bounds, retries, per-request timeout (default MLFLOW_HTTP_REQUEST_TIMEOUT or 30 s). */
  delivery?: DeliveryOptions;
}

export type MlflowDestination = TraceDestination &
  TraceReader & {
    /** The server's assessment endpoints (after delivering what is queued). */
    readonly assessments: AssessmentBackend;
    /** Sends subsequent traces to experiment `name` (created if missing); resolves to its id. */
    setExperiment(name: string): Promise<string>;
  };

export function createMlflowDestination(options: MlflowDestinationOptions): MlflowDestination {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('createMlflowDestination(options): expected { trackingUri, experimentId?, experimentName? }');
  }
  for (const key of ['experimentId', 'experimentName'] as const) {
    const v = options[key];
    if (v !== undefined && (typeof v !== 'string' || v.trim() === '')) {
      throw new TypeError(`createMlflowDestination: "${key}" must be a non-empty string, got ${JSON.stringify(v)}`);
    }
  }
  const connection = resolveConnection(options.trackingUri, options.delivery?.timeoutMs);
  // The caller's own calls (reads, setExperiment) and background delivery use separate clients:
  // only delivery requests are background work that the exit budget may cut short.
  const client = new MlflowRestClient(connection);
  const requests = new RequestGroup();
  const deliveryClient = new MlflowRestClient(connection, requests);
  const description = `mlflow ${connection.baseUrl}`;
  const experiment = new ExperimentTarget(options.experimentId, options.experimentName);

  let capabilities: Promise<ServerCapabilities> | undefined;
  const context: TraceExportContext = {
    client: deliveryClient,
    description,
    otlpUnavailable: false,
    experimentId: async (trace) => (await experiment.id(deliveryClient)) ?? experimentIdOf(trace.info),
    capabilities: () => {
      // Cached on success only: a server that was down when first asked is asked again.
      capabilities ??= fetchCapabilities(deliveryClient).catch((error) => {
        capabilities = undefined;
        throw error;
      });
      return capabilities;
    },
  };

  const pipeline = new DeliveryPipeline<ExportJob>(
    resolvePipelineConfig(
      {
        name: description,
        weigh: (job) => job.trace.data.spans.length,
        // StartTraceV3 is per trace, and some stores need one trace per log_spans call (spec §5.5).
        maxBatchItems: 1,
        maxBatchWeight: Infinity,
        batchDelayMs: 0,
        // Per-trace requests are latency-bound; MLflow's Python client uses ~10 workers.
        concurrency: 8,
        requests,
        send: ([job]) => exportTraceJob(job!, context),
      },
      options.delivery,
    ),
  );

  const defaultExperimentId = async () => (await experiment.id(client)) ?? runtimeState().experimentId;

  return {
    description,
    export: (trace: Trace) => pipeline.enqueue({ trace }),
    flush: () => pipeline.flush(),
    shutdown: () => pipeline.shutdown(),
    setExperiment: (name: string) => experiment.set(client, name),
    getTrace: (traceId: string) => getTraceFromServer(client, traceId),
    searchTraces: (searchOptions?: SearchTracesOptions): Promise<TracePage> => searchTracesOnServer(client, defaultExperimentId, searchOptions),
    deleteTraces: (deleteOptions: DeleteTracesOptions) => deleteTracesOnServer(client, defaultExperimentId, deleteOptions),
    assessments: afterFlush(assessmentsOnServer(client), () => pipeline.flush()),
  };
}

/**
 * The destination's experiment: a fixed id, or a name resolved once (retried after failures).
 * A lookup runs on the client of whoever needs it — background delivery or the caller's own
 * read — so a read never waits on a request that the exit budget may cut short, and delivery
 * never waits on one that holds the process; the first answer serves both.
 */
class ExperimentTarget {
  private readonly lookups = new Map<MlflowRestClient, Promise<string>>();

  constructor(
    private fixedId: string | undefined,
    private name: string | undefined,
  ) {}

  /** undefined: none configured, each trace keeps the experiment it was started in. */
  async id(client: MlflowRestClient): Promise<string | undefined> {
    if (this.fixedId !== undefined) return this.fixedId;
    const name = this.name;
    if (name === undefined) return undefined;
    let lookup = this.lookups.get(client);
    if (!lookup) {
      lookup = getOrCreateExperiment(client, name).finally(() => this.lookups.delete(client));
      this.lookups.set(client, lookup);
    }
    const id = await lookup;
    // Kept only if setExperiment() did not pick another experiment meanwhile.
    if (this.name === name) this.fixedId ??= id;
    return this.fixedId ?? id;
  }

  async set(client: MlflowRestClient, name: string): Promise<string> {
    if (typeof name !== 'string' || name.trim() === '') throw new TypeError(`setExperiment(name): name must be a non-empty string, got ${JSON.stringify(name)}`);
    const id = await getOrCreateExperiment(client, name);
    this.fixedId = id;
    this.name = name;
    this.lookups.clear();
    return id;
  }
}
