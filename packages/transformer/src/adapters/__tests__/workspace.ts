// Paths and child processes for adapter tests. Outputs go under <repo>/.tmp so that
// `@tracewright/*` imports in built code resolve to this workspace.
import { execFile } from 'node:child_process';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
export const TRANSFORMER = join(REPO, 'packages/transformer');
export const FIXTURES = join(REPO, 'test-fixtures/transform');

/** Node flags that make a child see workspace packages as TypeScript sources (see vitest.config.ts). */
export const SOURCE_MODE = ['--conditions=@tracewright/source', '--import', 'tsx'];
/** The same with our loader registered first, as users run it. */
export const LOADER_MODE = ['--conditions=@tracewright/source', '--import', '@tracewright/transformer/register', '--import', 'tsx'];

const created: string[] = [];

export function scratchDir(label: string): string {
  const base = join(REPO, '.tmp', 'adapters');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${label}-`));
  created.push(dir);
  return dir;
}

/** For afterAll: removes this process's scratch dirs (kept with KEEP_SCRATCH=1, for debugging). */
export function removeScratchDirs(): void {
  if (process.env.KEEP_SCRATCH === '1') return;
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node ...args` from the repository root; never rejects (the test asserts on the result). */
export function runNode(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ProcessResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      args,
      { cwd: options.cwd ?? REPO, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** Original 1-based line/column of a generated 1-based position, through Node's own source-map reader. */
export function originalPosition(map: SourceMapPayload, line: number, column: number): { line: number; column: number } {
  const entry = new SourceMap(map).findEntry(line - 1, column - 1);
  if (!('originalLine' in entry)) throw new Error(`no mapping for generated ${line}:${column}`);
  return { line: entry.originalLine + 1, column: entry.originalColumn + 1 };
}
