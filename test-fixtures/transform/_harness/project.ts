/**
 * Builds a throwaway TypeScript project from the fixtures, exactly as a user sets it up
 * (tsconfig `plugins: [{ "transform": "@tracewright/transformer" }]`, compiled with `tspc`),
 * plus the text-rewritten and untransformed variants, and runs each variant in a child
 * process (runner.ts).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { CaseResult } from './runner.js';

const run = promisify(execFile);
export const ROOT = resolve(import.meta.dirname, '../../..');
export const FIXTURES = resolve(import.meta.dirname, '..');
const TSX = join(ROOT, 'node_modules/tsx/dist/loader.mjs');

export interface Fixture {
  name: string;
  dir: string;
  /** input.ts or input.cts */
  inputFile: string;
  ext: '.ts' | '.cts';
  source: string;
}

export function listFixtures(): Fixture[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
    .map((d) => {
      const dir = join(FIXTURES, d.name);
      const ext = existsSync(join(dir, 'input.cts')) ? '.cts' : '.ts';
      const inputFile = join(dir, `input${ext}`);
      return { name: d.name, dir, inputFile, ext, source: readFileSync(inputFile, 'utf8') } as Fixture;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A temp dir whose node_modules resolves the workspace runtime and the transformer sources. */
export function createProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tw-transform-'));
  mkdirSync(join(dir, 'node_modules/@tracewright/transformer'), { recursive: true });
  symlinkSync(join(ROOT, 'packages/runtime'), join(dir, 'node_modules/@tracewright/runtime'));
  symlinkSync(join(ROOT, 'node_modules/@types'), join(dir, 'node_modules/@types'));
  // The transformer package as ts-patch sees it after `npm install`: CJS main with a default
  // export. Here it points at the TypeScript sources (loaded through tsx's require hook).
  writeFileSync(join(dir, 'node_modules/@tracewright/transformer/package.json'), JSON.stringify({ name: '@tracewright/transformer', main: 'index.cjs' }));
  writeFileSync(join(dir, 'node_modules/@tracewright/transformer/index.cjs'), `module.exports = require(${JSON.stringify(join(ROOT, 'packages/transformer/src/index.ts'))});\n`);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          rootDir: 'src',
          outDir: 'out',
          strict: true,
          skipLibCheck: true,
          customConditions: ['@tracewright/source'],
          types: ['node'],
          plugins: [{ transform: '@tracewright/transformer' }],
        },
        include: ['src'],
      },
      null,
      2,
    ),
  );
  mkdirSync(join(dir, 'src'));
  return dir;
}

export interface CompilerMessage {
  file: string;
  line: number;
  column: number;
  severity: string;
  code: number;
  message: string;
}

/** Runs the real `tspc` over the project; returns its diagnostics (it may exit non-zero). */
export async function tspc(dir: string): Promise<CompilerMessage[]> {
  const tspcBin = join(ROOT, 'node_modules/ts-patch/bin/tspc.js');
  let stdout = '';
  try {
    ({ stdout } = await run(process.execPath, ['--import', `file://${TSX}`, tspcBin, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir, maxBuffer: 64 << 20 }));
  } catch (e) {
    stdout = (e as { stdout?: string }).stdout ?? '';
    if (!stdout) throw e;
  }
  const out: CompilerMessage[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^(.*)\((\d+),(\d+)\): (error|warning) TS(\d+): (.*)$/.exec(line.trim());
    if (m) out.push({ file: m[1]!, line: +m[2]!, column: +m[3]!, severity: m[4]!, code: +m[5]!, message: m[6]! });
  }
  return out;
}

/** Runs modules in one child process; returns results by case name. */
export async function runCases(cwd: string, cases: Array<{ name: string; file: string }>): Promise<Map<string, CaseResult>> {
  const { stdout } = await run(
    process.execPath,
    ['--conditions=@tracewright/source', '--import', `file://${TSX}`, join(import.meta.dirname, 'runner.ts'), ...cases.map((c) => `${c.name}=${c.file}`)],
    { cwd, maxBuffer: 64 << 20 },
  );
  const results = new Map<string, CaseResult>();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{"name"')) continue;
    const { name, result } = JSON.parse(line) as { name: string; result: CaseResult };
    results.set(name, result);
  }
  return results;
}
