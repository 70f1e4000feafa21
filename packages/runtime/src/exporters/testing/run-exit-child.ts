/** Test-only: runs exit-child.ts as a real process and measures how long it outlives its own work. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type ExitChildDestination = 'mlflow' | 'otlp-protobuf' | 'otlp-json';

export interface ExitChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From the child printing "app done" to the process having exited, ms. */
  exitDelayMs: number;
  diagnostics: { dropped: Record<string, number>; errors: Record<string, number> } | undefined;
}

const CHILD = fileURLToPath(new URL('./exit-child.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));

export function runExitChild(
  destination: ExitChildDestination,
  url: string,
  { count = 3, exitCode = 0, killAfterMs = 30_000 }: { count?: number; exitCode?: number; killAfterMs?: number } = {},
): Promise<ExitChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@tracewright/source', '--import', 'tsx', CHILD, destination, url, String(count), String(exitCode)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let appDoneAt: number | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (appDoneAt === undefined && stdout.includes('app done')) appDoneAt = Date.now();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // A child that outlives this is a hang: kill it so the test fails instead of waiting.
    const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    let exitedAt = NaN;
    child.on('exit', () => (exitedAt = Date.now()));
    // 'close' comes after 'exit' once the pipes are drained: stdout is complete then.
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const line = /^diagnostics (.*)$/m.exec(stdout)?.[1];
      resolve({ code, signal, stdout, stderr, exitDelayMs: appDoneAt === undefined ? NaN : exitedAt - appDoneAt, diagnostics: line ? JSON.parse(line) : undefined });
    });
  });
}
