/**
 * Where the CLI and the viewer read traces from: the embedded local store (a directory,
 * default ./mlruns) or an MLflow tracking server (http(s)://...), both behind the runtime's
 * TraceReader API so every command works the same against either.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createMlflowDestination, getTracingDiagnostics, LocalStoreDestination, LocalTraceStore } from '@tracewright/runtime';
import type { AssessmentBackend, DeleteTracesOptions, SearchTracesOptions, Trace, TracePage, TraceReader } from '@tracewright/runtime';
import { CliError } from './errors.js';
import { listRemoteExperiments } from './remote-experiments.js';
import { escapeForTerminal } from './render/terminal.js';

export interface ExperimentRef {
  experimentId: string;
  name: string;
}

export interface TraceSource extends TraceReader {
  /** Human description for messages, e.g. "local store /repo/mlruns". */
  readonly description: string;
  /** The directory of a local store (other readers, e.g. the viewer's search workers, open it too). */
  readonly localStoreDir?: string;
  listExperiments(): Promise<ExperimentRef[]>;
  /**
   * What "all traces" means for a search: undefined for the local store (every trace, even of
   * experiments it has no name for, e.g. imported ones); every experiment for a server, which
   * needs explicit locations.
   */
  allExperimentIds(): Promise<string[] | undefined>;
  /** Where feedback and expectations are stored (the local store, or the MLflow server's assessment endpoints). */
  readonly assessments?: AssessmentBackend;
  /** Writes traces (import); resolves when they are durable. */
  writeTraces(traces: readonly Trace[]): Promise<void>;
  close(): Promise<void>;
}

export interface SourceOptions {
  /** Directory of a local store, `file:` URI, or http(s) tracking URI. */
  store?: string;
  /** Must exist already (read commands); import creates it. */
  mustExist?: boolean;
}

export const DEFAULT_STORE = './mlruns';

/** `--store` wins, then MLFLOW_TRACKING_URI when it points at a server or a path, then ./mlruns. */
export function resolveStoreLocation(store: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (store) return store;
  const uri = env.MLFLOW_TRACKING_URI;
  if (uri && (/^https?:\/\//.test(uri) || uri.startsWith('file:') || !uri.includes(':'))) return uri;
  return DEFAULT_STORE;
}

export async function openSource(options: SourceOptions = {}): Promise<TraceSource> {
  const location = resolveStoreLocation(options.store);
  if (/^https?:\/\//.test(location)) return openRemote(location);
  const dir = resolve(location.startsWith('file:') ? new URL(location).pathname : location);
  if (options.mustExist !== false) {
    if (!existsSync(dir)) {
      throw new CliError(`no trace store at ${dir} (run a traced program first, or pass --store <dir|http://mlflow-server>)`, 2);
    }
    if (!statSync(dir).isDirectory()) throw new CliError(`--store ${location}: ${dir} is not a directory`, 2);
  }
  return openLocal(dir);
}

function problemCount(): number {
  const d = getTracingDiagnostics();
  return d.totalErrors + Object.values(d.dropped).reduce((a, b) => a + b, 0);
}

async function openLocal(dir: string): Promise<TraceSource> {
  const store = new LocalTraceStore(dir);
  let writer: LocalStoreDestination | undefined;
  return {
    description: `local store ${dir}`,
    localStoreDir: dir,
    assessments: store.assessments,
    getTrace: (id) => store.getTrace(id),
    searchTraces: (o) => store.searchTraces(o),
    deleteTraces: (o) => store.deleteTraces(o),
    listExperiments: async () => store.listExperiments().map((e) => ({ experimentId: e.experimentId, name: e.name })),
    allExperimentIds: async () => undefined,
    async writeTraces(traces) {
      writer ??= new LocalStoreDestination(dir);
      // The destination never throws (it is built for traced apps): its failures show up in
      // the diagnostics, which import turns into an error.
      const before = problemCount();
      for (const t of traces) writer.export(t);
      await writer.flush();
      if (problemCount() > before) throw new CliError(`could not write every trace to ${dir} (see the messages above)`, 70);
    },
    async close() {
      await writer?.shutdown();
      store.close();
    },
  };
}

async function openRemote(uri: string): Promise<TraceSource> {
  const dest = createMlflowDestination({ trackingUri: uri });
  return {
    description: `MLflow server ${new URL(uri).origin}`,
    assessments: dest.assessments,
    getTrace: (id) => dest.getTrace(id),
    searchTraces: (o: SearchTracesOptions): Promise<TracePage> => dest.searchTraces(o),
    deleteTraces: (o: DeleteTracesOptions) => dest.deleteTraces(o),
    listExperiments: () => listRemoteExperiments(uri),
    allExperimentIds: async () => {
      const all = await listRemoteExperiments(uri);
      return all.length ? all.map((e) => e.experimentId) : undefined;
    },
    async writeTraces(traces) {
      for (const t of traces) dest.export(t);
      await dest.flush();
    },
    close: () => dest.shutdown(),
  };
}

/** Experiment ids for `--experiment NAME` (or id), default: every experiment in the store. */
export async function experimentIdsFor(source: TraceSource, experiment: string | undefined): Promise<string[] | undefined> {
  if (experiment === undefined) return source.allExperimentIds();
  const all = await source.listExperiments();
  const match = all.find((e) => e.name === experiment) ?? all.find((e) => e.experimentId === experiment);
  if (!match) {
    // Names are store data: one-line escaped, so a newline in one cannot fake a message line.
    const known = all.map((e) => `'${escapeForTerminal(e.name)}'`).join(', ') || 'none';
    throw new CliError(`no experiment named '${experiment}' in ${source.description} (experiments: ${known})`, 2);
  }
  return [match.experimentId];
}
