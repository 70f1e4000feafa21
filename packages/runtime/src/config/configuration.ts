/**
 * Where traces go and which experiment they belong to, as MLflow configures it:
 * setTrackingUri / setExperiment / init, or env MLFLOW_TRACKING_URI, MLFLOW_EXPERIMENT_ID,
 * MLFLOW_EXPERIMENT_NAME; with nothing set, the embedded local store in ./mlruns.
 * OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT routes traces to an OTLP collector instead (or as well,
 * with MLFLOW_TRACE_ENABLE_OTLP_DUAL_EXPORT=true), as MLflow's SDKs do.
 *
 * The default destination is created lazily, at the first finished trace, by the factory this
 * module installs into the runtime state on import.
 */
import { reportInternalError } from '../core/diagnostics.js';
import { runtimeState } from '../core/state.js';
import type { TraceDestination } from '../export/destination.js';
import { createMlflowDestination, type MlflowDestination } from '../exporters/mlflow/index.js';
import { createOtlpDestination } from '../exporters/otlp/index.js';
import { validateExperimentName } from '../store/experiments.js';
import { LockBusyError } from '../store/lock.js';
import { LocalStoreDestination } from '../store/local-destination.js';
import { FanOutDestination } from './fan-out.js';
import { parseTrackingUri, type TrackingTarget } from './tracking-uri.js';
import { UnavailableDestination } from './unavailable-destination.js';

interface ConfigState {
  /** Set by setTrackingUri/init; undefined → MLFLOW_TRACKING_URI → ./mlruns. */
  trackingUri: string | undefined;
  /** The destination this module created (the one to flush/close when the URI changes). */
  created: TraceDestination | undefined;
  /** Its MLflow-server part, if any (remote setExperiment). */
  mlflow: MlflowDestination | undefined;
  /** Local store destinations by root: one writer per directory per process. */
  local: Map<string, LocalStoreDestination>;
  /** True once setExperiment/init chose an experiment: env MLFLOW_EXPERIMENT_NAME no longer applies. */
  experimentChosen: boolean;
  /** Bumped by every experiment choice: a choice resolved late never overrides a later one. */
  experimentChoice: number;
}

const CONFIG_KEY = Symbol.for('tracewright.runtime.config');

function config(): ConfigState {
  const g = globalThis as unknown as Record<symbol, ConfigState | undefined>;
  return (g[CONFIG_KEY] ??= { trackingUri: undefined, created: undefined, mlflow: undefined, local: new Map(), experimentChosen: false, experimentChoice: 0 });
}

function currentTarget(): TrackingTarget {
  const explicit = config().trackingUri;
  if (explicit !== undefined) return parseTrackingUri(explicit, 'setTrackingUri(uri)');
  return parseTrackingUri(process.env.MLFLOW_TRACKING_URI, 'MLFLOW_TRACKING_URI');
}

/** The local store destination for `root`, shared by the writer and experiment lookups. */
export function localDestinationFor(root: string): LocalStoreDestination {
  const cfg = config();
  let d = cfg.local.get(root);
  if (!d) cfg.local.set(root, (d = new LocalStoreDestination(root)));
  return d;
}

/** Whether traces also (dual) or only go to an OTLP collector, from the OTEL_/MLFLOW_ env. */
export function otlpMode(): 'off' | 'only' | 'dual' {
  const env = process.env;
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || (env.MLFLOW_ENABLE_OTLP_EXPORTER ?? '').trim().toLowerCase() === 'false') return 'off';
  return (env.MLFLOW_TRACE_ENABLE_OTLP_DUAL_EXPORT ?? '').trim().toLowerCase() === 'true' ? 'dual' : 'only';
}

function primaryDestination(): TraceDestination {
  const target = currentTarget();
  if (target.kind === 'local') return localDestinationFor(target.root);
  // No experimentId: each trace keeps the experiment active when it started (runtime state).
  const options: Parameters<typeof createMlflowDestination>[0] = { trackingUri: target.uri };
  const name = process.env.MLFLOW_EXPERIMENT_NAME;
  if (name && !process.env.MLFLOW_EXPERIMENT_ID && !config().experimentChosen) options.experimentName = name;
  const mlflow = createMlflowDestination(options);
  config().mlflow = mlflow;
  return mlflow;
}

/** Builds the destination for the current configuration. Never throws (tracing must not). */
export function createConfiguredDestination(): TraceDestination {
  const cfg = config();
  cfg.mlflow = undefined;
  let destination: TraceDestination;
  try {
    const mode = otlpMode();
    if (mode === 'only') destination = createOtlpDestination();
    else if (mode === 'dual') destination = new FanOutDestination([primaryDestination(), createOtlpDestination()]);
    else destination = primaryDestination();
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    reportInternalError('configure tracing destination', err);
    destination = new UnavailableDestination(err);
  }
  cfg.created = destination;
  return destination;
}

/** Flushes and closes the destination this module created, once it is no longer active. */
function retire(destination: TraceDestination | undefined): void {
  if (!destination) return;
  const cfg = config();
  for (const [root, d] of cfg.local) if (d === destination || (destination instanceof FanOutDestination && destination.destinations.includes(d))) cfg.local.delete(root);
  // A local store can write what it still buffers synchronously: the switch is then exact
  // (nothing finished before setTrackingUri lands in the new place). Remote ones drain async.
  const syncFlushable = destination as Partial<Pick<LocalStoreDestination, 'flushSync'>>;
  try {
    syncFlushable.flushSync?.();
  } catch (error) {
    reportInternalError(`flush ${destination.description}`, error);
  }
  destination.shutdown().catch((error) => reportInternalError(`shutdown ${destination.description}`, error));
}

/**
 * Sends traces to `uri`: a directory or `file:` URI (local store), or an MLflow tracking server
 * (`http(s)://host:port`). Traces already finished are flushed to the previous destination.
 * Throws a TypeError for an unsupported scheme.
 */
export function setTrackingUri(uri: string): void {
  parseTrackingUri(uri, 'setTrackingUri(uri)'); // validate before changing anything
  const cfg = config();
  cfg.trackingUri = uri;
  const state = runtimeState();
  const previous = state.destination;
  state.destination = undefined;
  if (previous !== undefined && previous === cfg.created) retire(previous);
  else if (previous !== undefined) {
    // Set by the user with setDestination: theirs to close, but what it holds is flushed.
    previous.flush().catch((error) => reportInternalError(`flush ${previous.description}`, error));
  }
  cfg.created = undefined;
  cfg.mlflow = undefined;
}

/** True when `destination` is the one the tracking URI configured (not one given to setDestination). */
export function isConfiguredDestination(destination: TraceDestination): boolean {
  return destination === config().created;
}

/** Who chose the tracking URI: setTrackingUri/init, MLFLOW_TRACKING_URI, or nobody (./mlruns). */
export function trackingUriOrigin(): 'code' | 'env' | 'default' {
  if (config().trackingUri !== undefined) return 'code';
  return process.env.MLFLOW_TRACKING_URI?.trim() ? 'env' : 'default';
}

/** The effective tracking URI: a `file://` URL for the local store, or the server URL. */
export function getTrackingUri(): string {
  const explicit = config().trackingUri;
  const raw = explicit ?? process.env.MLFLOW_TRACKING_URI;
  try {
    return currentTarget().uri;
  } catch {
    return raw ?? '';
  }
}

/**
 * Makes `name` the active experiment (new traces belong to it), creating it if missing, and
 * resolves its id. Local store: done synchronously before this returns. MLflow server: resolved
 * through the server.
 */
export function setExperiment(name: string): Promise<string> {
  try {
    validateExperimentName(name, 'setExperiment(name)');
    const target = currentTarget();
    if (target.kind === 'local') return chooseLocalExperiment(target.root, name, true);
    return remoteSetExperiment(name);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Makes the local experiment `name` the active one: at once in the common case; when another
 * process holds the experiments lock right now, in the background (the event loop is never
 * blocked waiting), traces keeping the previous experiment until it resolves.
 */
function chooseLocalExperiment(root: string, name: string, chosen: boolean): Promise<string> {
  const cfg = config();
  const choice = ++cfg.experimentChoice;
  if (chosen) cfg.experimentChosen = true;
  const apply = (id: string): string => {
    if (cfg.experimentChoice === choice) runtimeState().experimentId = id;
    return id;
  };
  const store = localDestinationFor(root).store;
  try {
    return Promise.resolve(apply(store.getOrCreateExperiment(name)));
  } catch (error) {
    if (!(error instanceof LockBusyError)) throw error;
    return store.getOrCreateExperimentAsync(name).then(apply);
  }
}

async function remoteSetExperiment(name: string): Promise<string> {
  const state = runtimeState();
  if (!state.destination && state.destinationFactory) state.destination = state.destinationFactory();
  const mlflow = config().mlflow;
  if (!mlflow || (state.destination !== mlflow && state.destination !== config().created)) {
    throw new Error(`setExperiment(${JSON.stringify(name)}): the active destination (${state.destination?.description ?? 'none'}) does not manage MLflow experiments`);
  }
  const choice = ++config().experimentChoice;
  const id = await mlflow.setExperiment(name);
  if (config().experimentChoice === choice) state.experimentId = id;
  config().experimentChosen = true;
  return id;
}

export interface InitOptions {
  /** Directory / `file:` URI (local store) or `http(s)://` MLflow server. Default: env or ./mlruns. */
  trackingUri?: string;
  /** Experiment id new traces belong to. */
  experimentId?: string;
  /** Experiment name (created if missing); alternative to experimentId. */
  experimentName?: string;
}

/**
 * One-call setup, synchronous like the MLflow TypeScript SDK's `init`. With an MLflow server
 * and `experimentName`, the name is resolved in the background (failures are reported in the
 * tracing diagnostics); use `await setExperiment(name)` to wait for it.
 */
export function init(options: InitOptions = {}): void {
  if (options === null || typeof options !== 'object') throw new TypeError('init(options): options must be an object');
  const { trackingUri, experimentId, experimentName } = options;
  if (experimentId !== undefined && experimentName !== undefined) {
    throw new TypeError('init(options): give either "experimentId" or "experimentName", not both');
  }
  if (experimentId !== undefined && (typeof experimentId !== 'string' || experimentId.trim() === '')) {
    throw new TypeError(`init(options): "experimentId" must be a non-empty string, got ${JSON.stringify(experimentId)}`);
  }
  if (experimentName !== undefined) validateExperimentName(experimentName, 'init(options)');
  if (trackingUri !== undefined) setTrackingUri(trackingUri);
  if (experimentId !== undefined) {
    runtimeState().experimentId = experimentId;
    config().experimentChosen = true;
    config().experimentChoice++;
  }
  if (experimentName !== undefined) {
    const target = currentTarget();
    if (target.kind === 'local') {
      chooseLocalExperiment(target.root, experimentName, true).catch((error) => reportInternalError(`init: set experiment ${JSON.stringify(experimentName)}`, error));
    } else {
      remoteSetExperiment(experimentName).catch((error) => reportInternalError(`init: set experiment ${JSON.stringify(experimentName)}`, error));
    }
  }
}

/**
 * Env MLFLOW_EXPERIMENT_NAME with a local store: resolve it now, so the very first trace
 * already belongs to it (the destination itself is only created when a trace finishes).
 */
function applyExperimentNameFromEnv(): void {
  const name = process.env.MLFLOW_EXPERIMENT_NAME;
  if (!name || process.env.MLFLOW_EXPERIMENT_ID || config().experimentChosen) return;
  try {
    const target = currentTarget();
    if (target.kind !== 'local') return; // the MLflow destination resolves it (experimentName option)
    chooseLocalExperiment(target.root, name, false).catch((error) => reportInternalError('MLFLOW_EXPERIMENT_NAME', error));
  } catch (error) {
    reportInternalError('MLFLOW_EXPERIMENT_NAME', error);
  }
}

export function installDefaultDestinationFactory(): void {
  runtimeState().destinationFactory = createConfiguredDestination;
  applyExperimentNameFromEnv();
}
