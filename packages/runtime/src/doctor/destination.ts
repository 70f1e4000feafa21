/**
 * Where traces go and whether they can get there: the tracking URI (from code, env or the
 * default), the experiment, a local store that can be written, an MLflow server or OTLP
 * collector that answers (each request bounded by the doctor's timeout), and the newest trace
 * recorded there.
 */
import * as fs from 'node:fs';
import { dirname, join } from 'node:path';
import { otlpMode } from '../config/configuration.js';
import { parseTrackingUri, type TrackingTarget } from '../config/tracking-uri.js';
import type { TraceReader } from '../export/destination.js';
import { resolveConnection } from '../exporters/mlflow/connection.js';
import { searchTracesOnServer } from '../exporters/mlflow/reader.js';
import { isNotFound, MlflowRestClient } from '../exporters/mlflow/rest-client.js';
import { fetchCapabilities } from '../exporters/mlflow/server-info.js';
import { resolveOtlpConfig } from '../exporters/otlp/config.js';
import { httpRequest } from '../exporters/http/request.js';
import { LocalTraceStore } from '../store/local-store.js';
import type { Findings } from './finding.js';
import { wallNowMs } from '../core/clock.js';

export interface DestinationInput {
  /** The tracking URI as configured (raw; '' = nothing set). */
  uri: string;
  /** Where it came from, for the message: "setTrackingUri in src/main.ts:3", "MLFLOW_TRACKING_URI", ... */
  origin: string;
  /** The experiment new traces belong to, and the name asked for (MLFLOW_EXPERIMENT_NAME / code), if any. */
  experimentId: string;
  experimentName: string | undefined;
  timeoutMs: number;
}

const FIX_URI = 'set MLFLOW_TRACKING_URI (or setTrackingUri) to a directory, a file: URI or the http(s):// URL of an MLflow server';

export async function checkDestination(input: DestinationInput, findings: Findings): Promise<void> {
  let target: TrackingTarget;
  try {
    target = parseTrackingUri(input.uri || undefined, input.origin);
  } catch (error) {
    findings.error('destination.invalid-uri', `${(error as Error).message} — every trace is dropped`, FIX_URI, input.origin);
    return;
  }
  const mode = otlpMode();
  if (mode !== 'only') {
    const where = target.kind === 'local' ? `the local store ${target.root}` : `the MLflow server ${target.uri}`;
    const experiment = input.experimentName !== undefined ? `experiment "${input.experimentName}"` : `experiment ${input.experimentId}`;
    const origin = input.uri ? `tracking URI from ${input.origin}` : 'no tracking URI set: the default';
    findings.info('destination.where', `traces go to ${where} (${origin}), ${experiment}`, target.uri);
    if (target.kind === 'local') await checkLocalStore(target.root, input, findings);
    else await checkMlflowServer(target.uri, input, findings);
  }
  if (mode !== 'off') await checkOtlpCollector(mode, input.timeoutMs, findings);
}

/** Nearest existing directory at or above `path` (what a mkdir -p would write into). */
function nearestExisting(path: string): string {
  let p = path;
  while (!fs.existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}

/** A real write: create and remove a probe file (mode bits alone do not tell, e.g. as root or on a read-only mount). */
function probeWritable(root: string): Error | undefined {
  const base = nearestExisting(root);
  try {
    if (!fs.statSync(base).isDirectory()) return new Error(`${base} is a file, not a directory`);
    const probe = join(base, `.tracewright-doctor-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe, { force: true });
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

async function checkLocalStore(root: string, input: DestinationInput, findings: Findings): Promise<void> {
  const problem = probeWritable(root);
  if (problem) {
    findings.error(
      'destination.not-writable',
      `the local store ${root} cannot be written (${problem.message}): finished traces wait in memory and are then dropped`,
      'make that directory writable by this process, or point MLFLOW_TRACKING_URI / setTrackingUri at a writable directory',
      root,
    );
    return;
  }
  if (!fs.existsSync(root)) {
    findings.info('destination.empty', `${root} does not exist yet: it is created by the first finished trace`, root);
    return;
  }
  let store: LocalTraceStore;
  try {
    store = LocalTraceStore.open(root);
  } catch (error) {
    findings.error('destination.unreadable', `cannot open the local store: ${(error as Error).message}`, 'point the tracking URI at a tracewright store directory', root);
    return;
  }
  try {
    let experimentId = input.experimentId;
    if (input.experimentName !== undefined) {
      const found = store.getExperimentByName(input.experimentName);
      if (!found) {
        findings.info('experiment.will-be-created', `experiment "${input.experimentName}" does not exist in ${root} yet: it is created when tracing starts`, root);
        return;
      }
      experimentId = found.experimentId;
    } else if (!store.getExperiment(experimentId)) {
      findings.warning(
        'experiment.missing',
        `experiment id ${experimentId} does not exist in ${root}: traces are written under an id no experiment lists`,
        'use setExperiment("<name>") / MLFLOW_EXPERIMENT_NAME, or an id that exists (tracewright traces search lists them)',
        root,
      );
    }
    await reportNewest(store, experimentId, root, findings);
  } finally {
    store.close();
  }
}

async function reportNewest(reader: TraceReader, experimentId: string, where: string, findings: Findings): Promise<void> {
  const page = await reader.searchTraces({ experimentIds: [experimentId], maxResults: 1 });
  const newest = page.traces[0];
  if (!newest) {
    findings.info('destination.no-traces', `no trace recorded in experiment ${experimentId} yet`, where);
    return;
  }
  const when = new Date(newest.info.requestTime).toISOString();
  const ago = Math.max(0, Math.round((wallNowMs() - newest.info.requestTime) / 1000));
  findings.info('destination.recent', `newest trace in experiment ${experimentId}: ${newest.info.traceId} at ${when} (${formatAgo(ago)} ago)`, where);
}

function formatAgo(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

function describe(error: unknown): string {
  const e = error as Error & { cause?: { message?: string } };
  return e?.cause?.message ? `${e.message}: ${e.cause.message}` : String(e?.message ?? error);
}

async function checkMlflowServer(uri: string, input: DestinationInput, findings: Findings): Promise<void> {
  const client = new MlflowRestClient(resolveConnection(uri, input.timeoutMs));
  try {
    const caps = await fetchCapabilities(client);
    const upload = caps.otlpSpans ? `OTLP span upload (/v1/traces${caps.otlpGzip ? ', gzip' : ''})` : 'artifact upload (traces.json)';
    findings.info('destination.server', `MLflow server ${caps.version ?? '(version unknown)'} answers; traces are uploaded by ${upload}`, uri);
  } catch (error) {
    findings.error(
      'destination.unreachable',
      `cannot reach the MLflow server at ${uri} (${describe(error)}): traces are retried, then dropped`,
      'start the server (mlflow server --host 127.0.0.1 --port <port>) or set MLFLOW_TRACKING_URI to its URL',
      uri,
    );
    return;
  }
  try {
    let experimentId = input.experimentId;
    if (input.experimentName !== undefined) {
      const found = await client
        .json('GET', '/api/2.0/mlflow/experiments/get-by-name', { query: { experiment_name: input.experimentName } })
        .catch((error) => (isNotFound(error) ? undefined : Promise.reject(error)));
      if (!found) {
        findings.info('experiment.will-be-created', `experiment "${input.experimentName}" does not exist on ${uri} yet: it is created when tracing starts`, uri);
        return;
      }
      experimentId = String(found.experiment?.experiment_id);
    } else {
      const found = await client
        .json('GET', '/api/2.0/mlflow/experiments/get', { query: { experiment_id: experimentId } })
        .catch((error) => (isNotFound(error) ? undefined : Promise.reject(error)));
      if (!found) {
        findings.error(
          'experiment.missing',
          `experiment id ${experimentId} does not exist on ${uri}: the server rejects every trace`,
          'create it in the MLflow UI, or use setExperiment("<name>") / MLFLOW_EXPERIMENT_NAME (created if missing)',
          uri,
        );
        return;
      }
    }
    await reportNewest({ searchTraces: (o) => searchTracesOnServer(client, async () => experimentId, o) } as TraceReader, experimentId, uri, findings);
  } catch (error) {
    findings.warning('destination.server-error', `the MLflow server answered, but reading experiments/traces failed: ${describe(error)}`, 'check the server log and credentials (MLFLOW_TRACKING_TOKEN / USERNAME / PASSWORD)', uri);
  }
}

async function checkOtlpCollector(mode: 'only' | 'dual', timeoutMs: number, findings: Findings): Promise<void> {
  let url: URL;
  let headers: Record<string, string>;
  try {
    const config = resolveOtlpConfig({ timeoutMs });
    url = config.url;
    headers = config.headers;
  } catch (error) {
    findings.error('destination.invalid-otlp', (error as Error).message, 'set OTEL_EXPORTER_OTLP_TRACES_ENDPOINT to the collector URL, e.g. http://localhost:4318/v1/traces');
    return;
  }
  findings.info('destination.otlp', `traces ${mode === 'dual' ? 'also ' : ''}go to the OTLP collector ${url.href}`, url.href);
  try {
    // An empty protobuf ExportTraceServiceRequest: valid, and exports nothing.
    const response = await httpRequest({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/x-protobuf' }, body: new Uint8Array(0), timeoutMs });
    if (response.status === 404 || response.status === 405) {
      findings.error(
        'destination.otlp-path',
        `the OTLP endpoint ${url.href} answers HTTP ${response.status}: nothing receives traces at that path`,
        'use the collector\'s OTLP/HTTP traces URL (usually http://<host>:4318/v1/traces)',
        url.href,
      );
    } else if (response.status === 401 || response.status === 403) {
      findings.error('destination.otlp-auth', `the OTLP endpoint ${url.href} refuses the request (HTTP ${response.status})`, 'set OTEL_EXPORTER_OTLP_HEADERS / OTEL_EXPORTER_OTLP_TRACES_HEADERS with the credentials', url.href);
    } else {
      findings.info('destination.otlp-answers', `the OTLP endpoint answers (HTTP ${response.status})`, url.href);
    }
  } catch (error) {
    findings.error(
      'destination.unreachable',
      `cannot reach the OTLP endpoint ${url.href} (${describe(error)}): traces are retried, then dropped`,
      'start the collector or fix OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT',
      url.href,
    );
  }
}
