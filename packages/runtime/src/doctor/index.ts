/**
 * `@tracewright/runtime/doctor`: why traces are not appearing, in one call. `diagnose()` checks
 * where traces go and whether they can get there, the tracer's switches and counters, the
 * `// @trace` build step, the LLM SDK integrations and duplicate runtime copies, and returns
 * each problem with its one-line fix. `npx tracewright doctor` runs the same checks.
 *
 * Not part of the main entry: it reads the file system and probes servers.
 */
import { resolve } from 'node:path';
import { getTrackingUri, trackingUriOrigin } from '../config/configuration.js';
import { runtimeState } from '../core/state.js';
import { checkDestination, type DestinationInput } from './destination.js';
import { Findings, SEVERITY_ORDER, type DiagnoseReport } from './finding.js';
import { checkIntegrationsInProcess, checkIntegrationsInProject } from './integrations.js';
import { ProjectSources } from './project-files.js';
import { checkBundledCopies, checkInstalledCopies, checkLoadedCopies } from './runtime-copies.js';
import { checkRuntimeCounters, checkTracingSwitches } from './tracing-state.js';
import { checkTransformer } from './transformer-setup.js';

export type { DiagnoseReport, Finding, Severity } from './finding.js';

export interface DiagnoseOptions {
  /** The project directory (package.json, tsconfig.json, sources, node_modules). Default: process.cwd(). */
  cwd?: string;
  /** Bound on each network probe (MLflow server, OTLP collector), ms. Default 3000. */
  timeoutMs?: number;
  /**
   * true (default): this process is the application — its tracking URI, experiment, counters,
   * autolog() calls and loaded copies are checked. false (the CLI): only the project on disk and
   * the environment, with a tracking URI set in the sources taking the place of code.
   */
  inProcess?: boolean;
}

export async function diagnose(options: DiagnoseOptions = {}): Promise<DiagnoseReport> {
  if (options === null || typeof options !== 'object') throw new TypeError('diagnose(options): options must be an object');
  if (options.cwd !== undefined && (typeof options.cwd !== 'string' || options.cwd === '')) throw new TypeError('diagnose(options): "cwd" must be a directory path');
  const cwd = resolve(options.cwd ?? '.');
  const timeoutMs = options.timeoutMs ?? 3000;
  if (!(timeoutMs > 0)) throw new RangeError(`diagnose(options): "timeoutMs" must be a positive number of milliseconds, got ${String(options.timeoutMs)}`);
  const inProcess = options.inProcess ?? true;
  const findings = new Findings();
  const project = new ProjectSources(cwd);

  const guarded = async (name: string, check: () => void | Promise<void>): Promise<void> => {
    try {
      await check();
    } catch (error) {
      findings.warning('doctor.check-failed', `the ${name} check failed: ${(error as Error)?.message ?? String(error)}`, 'report this with the output of tracewright doctor --json', name);
    }
  };

  // First, synchronously: what autolog() has done so far (a pending call may settle meanwhile).
  if (inProcess) await guarded('autolog', () => checkIntegrationsInProcess(cwd, findings));
  await guarded('destination', () => checkDestination(destinationInput(project, inProcess, timeoutMs), findings));
  await guarded('tracing', () => checkTracingSwitches(findings));
  if (inProcess) await guarded('diagnostics', () => checkRuntimeCounters(findings));
  await guarded('transformer', () => checkTransformer(cwd, project, findings));
  await guarded('integrations', () => checkIntegrationsInProject(cwd, project, findings));
  await guarded('runtime copies', () => {
    checkInstalledCopies(cwd, findings);
    checkBundledCopies(cwd, findings);
    if (inProcess) checkLoadedCopies(findings);
  });

  const list = findings.list.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return {
    cwd,
    findings: list,
    errors: list.filter((f) => f.severity === 'error').length,
    warnings: list.filter((f) => f.severity === 'warning').length,
  };
}

const SET_EXPERIMENT_IN_CODE = /\b(?:setExperiment\s*\(\s*|experimentName\s*:\s*)(['"`])([^'"`$]+)\1/;
const SET_URI_IN_CODE = /\b(?:setTrackingUri\s*\(\s*|trackingUri\s*:\s*)(['"`])([^'"`$]+)\1/;

function destinationInput(project: ProjectSources, inProcess: boolean, timeoutMs: number): DestinationInput {
  const env = process.env;
  const state = runtimeState();
  const experimentName = env.MLFLOW_EXPERIMENT_NAME && !env.MLFLOW_EXPERIMENT_ID ? env.MLFLOW_EXPERIMENT_NAME : undefined;
  if (inProcess) {
    const origin = trackingUriOrigin();
    return {
      uri: origin === 'default' ? '' : origin === 'env' ? (env.MLFLOW_TRACKING_URI ?? '') : getTrackingUri(),
      origin: origin === 'code' ? 'setTrackingUri/init' : 'MLFLOW_TRACKING_URI',
      experimentId: state.experimentId,
      experimentName: origin === 'code' ? undefined : experimentName,
      timeoutMs,
    };
  }
  // Not this process: what the sources set in code takes the place of code having run.
  const experimentInCode = project.find(SET_EXPERIMENT_IN_CODE)?.match[2];
  const experiment = { experimentId: env.MLFLOW_EXPERIMENT_ID || '0', experimentName: experimentInCode ?? experimentName };
  const inCode = project.find(SET_URI_IN_CODE);
  if (inCode) return { uri: inCode.match[2]!, origin: `setTrackingUri/init in ${inCode.file}:${inCode.line}`, ...experiment, timeoutMs };
  const fromEnv = env.MLFLOW_TRACKING_URI?.trim();
  return { uri: fromEnv ?? '', origin: 'MLFLOW_TRACKING_URI', ...experiment, timeoutMs };
}
