/** Runs the real `tracewright` process (sources through tsx, as the built bin runs dist). */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(here, '..', '..', '..', '..');
export const CLI_MAIN = join(here, '..', 'main.ts');
export const WRITE_SAMPLE_STORE = join(here, 'write-sample-store.ts');
// tsx resolved here, not from the child's cwd (tests run the CLI in temporary directories).
const NODE_ARGS = ['--conditions=@tracewright/source', '--import', import.meta.resolve('tsx')];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Extra node flags, before tsx (e.g. the transformer's --import hook). */
  nodeArgs?: string[];
}

export function spawnTs(script: string, args: string[], options: RunOptions = {}): ChildProcess {
  const [conditions, ...tsx] = NODE_ARGS;
  return spawn(process.execPath, [conditions!, ...(options.nodeArgs ?? []), ...tsx, script, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', MLFLOW_TRACKING_URI: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function runTs(script: string, args: string[], options: RunOptions = {}): Promise<CliResult> {
  const child = spawnTs(script, args, options);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export const runCli = (args: string[], options?: RunOptions) => runTs(CLI_MAIN, args, options);

/** Writes the sample traced program's traces into `dir` from a separate process. */
export async function writeSampleStore(dir: string, sessions = 2): Promise<void> {
  const r = await runTs(WRITE_SAMPLE_STORE, [dir, String(sessions)]);
  if (r.code !== 0) throw new Error(`write-sample-store failed (${r.code}):\n${r.stderr}`);
}
