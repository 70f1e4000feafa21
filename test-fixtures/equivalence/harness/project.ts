/**
 * Builds every program of the suite in every variant and runs them in child processes.
 *
 * A scratch project under <repo>/.tmp (so `knex`, `@tracewright/runtime`… resolve from the
 * workspace's node_modules) holds src/<variant>/<program>.ts for the four source variants
 * (variants.ts). The real `tspc` (ts-patch) compiles all of them once, with the transformer
 * configured as users configure it; `comment-loader` runs the `// @trace` source with no build
 * step, through `node --import @tracewright/transformer/register --import tsx` (the text
 * rewriter). Each run gets its own working directory, so its ./mlruns holds only its traces,
 * read back afterwards with the store's reader: tracing is judged from the outside too.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LocalTraceStore } from '@tracewright/runtime';
import { tspc } from '../../transform/_harness/project.js';
import type { RunResult } from './observation.js';
import { makeVariant, SOURCE_VARIANTS } from './variants.js';

export const REPO = resolve(import.meta.dirname, '../../..');
const PROGRAMS = resolve(import.meta.dirname, '../programs');
const RUNNER = join(import.meta.dirname, 'runner.ts');

export const TRACED_VARIANTS = ['trace', 'decorator', 'comment-tspc', 'comment-loader'] as const;
export type TracedVariant = (typeof TRACED_VARIANTS)[number];
export type RunVariant = 'untraced' | TracedVariant;

export interface ProgramSpec {
  /** File name (without .ts) under programs/. */
  name: string;
  /** 'crash': no unhandledRejection listener, Node's default crash applies. */
  mode?: 'observe' | 'crash';
  /** Kill the child after this long (a hang is a failure, reported as such). Default 60 s. */
  timeoutMs?: number;
  /** Extra node flags (heap limit...). */
  nodeFlags?: string[];
}

export interface SpanSummary {
  name: string;
  status: string;
  attributes: Record<string, unknown>;
}
export interface TraceSummary {
  spans: SpanSummary[];
}
export type Run = RunResult & { traces: TraceSummary[]; stderr: string; wallMs: number };

/** At most `limit` child processes at once (the box is shared: keep it modest). */
function limiter(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((go) => waiting.push(go));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** The first line Node prints for an uncaught error / unhandled rejection, e.g. "Error: boom". */
function crashReason(stderr: string): string | undefined {
  return /^(?:\w*Error|\[?UnhandledPromiseRejection\]?)[^\n]*$/m.exec(stderr)?.[0];
}

async function readTraces(mlruns: string): Promise<TraceSummary[]> {
  if (!existsSync(mlruns)) return [];
  const store = LocalTraceStore.open(mlruns);
  const out: TraceSummary[] = [];
  let pageToken: string | undefined;
  do {
    const page = await store.searchTraces({ maxResults: 5_000, pageToken, orderBy: ['timestamp_ms ASC'] });
    for (const t of page.traces) {
      out.push({ spans: t.data.spans.map((s) => ({ name: s.name, status: s.status.statusCode.replace('STATUS_CODE_', ''), attributes: s.attributes })) });
    }
    pageToken = page.nextPageToken;
  } while (pageToken);
  store.close();
  return out;
}

export class EquivalenceProject {
  private readonly runs = new Map<string, Promise<Run>>();
  private readonly schedule = limiter(Number(process.env.EQUIVALENCE_JOBS ?? 3));
  compileMessages = '';

  private constructor(readonly dir: string) {}

  /** Writes all variants of `programs` and compiles them with tspc. */
  static async create(programs: readonly string[]): Promise<EquivalenceProject> {
    const base = join(REPO, '.tmp');
    mkdirSync(base, { recursive: true });
    const project = new EquivalenceProject(mkdtempSync(join(base, 'equivalence-')));
    const dir = project.dir;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    // ts-patch loads a transformer with require(); this shim hands it the transformer's sources
    // (tspc runs with tsx, whose require hook compiles them), as the published CJS build would.
    writeFileSync(join(dir, 'transformer.cjs'), `module.exports = require(${JSON.stringify(join(REPO, 'packages/transformer/src/index.ts'))});\n`);
    // The workspace's own compiler settings (ES2022, NodeNext, strict), with the plugin as users add it.
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: join(REPO, 'tsconfig.base.json'),
        compilerOptions: { rootDir: 'src', outDir: 'out', declaration: false, sourceMap: false, customConditions: ['@tracewright/source'], plugins: [{ transform: './transformer.cjs' }] },
        include: ['src'],
      }),
    );
    // Programs run from each variant directory; _support.ts (never traced) goes next to them.
    const support = readFileSync(join(PROGRAMS, '_support.ts'));
    const dirs = [...SOURCE_VARIANTS.map((v) => join(dir, 'src', v)), join(dir, 'loader')];
    for (const d of dirs) {
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, '_support.ts'), support);
    }
    for (const name of programs) {
      const file = join(PROGRAMS, `${name}.ts`);
      const source = readFileSync(file, 'utf8');
      for (const variant of SOURCE_VARIANTS) writeFileSync(join(dir, 'src', variant, `${name}.ts`), makeVariant(source, file, variant));
      // The loader variant runs the `// @trace` source with no build step (outside tsconfig's include).
      writeFileSync(join(dir, 'loader', `${name}.ts`), makeVariant(source, file, 'comment'));
    }
    project.compileMessages = (await tspc(dir)).map((m) => `${m.file}(${m.line},${m.column}): ${m.severity} TS${m.code}: ${m.message}`).join('\n');
    return project;
  }

  /** The run of `program` as `variant` (started once, shared by every test that asks). */
  run(spec: ProgramSpec, variant: RunVariant): Promise<Run> {
    const key = `${spec.name}/${variant}`;
    let run = this.runs.get(key);
    if (!run) {
      // Traced runs start after the untraced one: it is the baseline, and it warms what a
      // program caches for later runs (tsx's transpile cache, PGlite's data directory).
      const after = variant === 'untraced' ? Promise.resolve() : this.run(spec, 'untraced').then(() => undefined);
      run = after.then(() => this.schedule(() => this.execute(spec, variant)));
      this.runs.set(key, run);
    }
    return run;
  }

  private async execute(spec: ProgramSpec, variant: RunVariant): Promise<Run> {
    const cwd = join(this.dir, 'runs', `${spec.name}-${variant}`);
    mkdirSync(cwd, { recursive: true });
    const record = join(cwd, 'record.json');
    const compiled = variant === 'comment-tspc' ? 'comment' : variant;
    const program = variant === 'comment-loader' ? join(this.dir, 'loader', `${spec.name}.ts`) : join(this.dir, 'out', compiled, `${spec.name}.js`);
    if (!existsSync(program)) {
      return { failed: `not built: ${program} missing. tspc said:\n${this.compileMessages}`, traces: [], stderr: '', wallMs: 0 };
    }
    const loader = variant === 'comment-loader' ? ['--import', '@tracewright/transformer/register'] : [];
    const args = ['--conditions=@tracewright/source', '--expose-gc', ...(spec.nodeFlags ?? []), ...loader, '--import', 'tsx', RUNNER, program, record, spec.mode ?? 'observe'];
    const env: NodeJS.ProcessEnv = {};
    // The program's own environment, minus anything that would send traces elsewhere than ./mlruns.
    for (const [k, v] of Object.entries(process.env)) if (!/^(MLFLOW_|OTEL_|TRACEWRIGHT_|NODE_OPTIONS$|VITEST)/.test(k)) env[k] = v;
    const timeoutMs = spec.timeoutMs ?? 60_000;
    const started = Date.now();
    const { stderr, killed } = await new Promise<{ stderr: string; killed: boolean }>((done) => {
      const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      let timedOut = false;
      child.stderr.on('data', (chunk: Buffer) => {
        if (err.length < 200_000) err += chunk.toString();
      });
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.on('close', () => {
        clearTimeout(timer);
        done({ stderr: err, killed: timedOut });
      });
    });
    const wallMs = Date.now() - started;
    const traces = await readTraces(join(cwd, 'mlruns')).catch((e: Error) => [{ spans: [{ name: `<unreadable store: ${e.message}>`, status: 'ERROR', attributes: {} }] }]);
    if (killed) return { failed: `did not finish within ${timeoutMs / 1000} s (killed; hang or runaway)`, traces, stderr, wallMs };
    if (!existsSync(record)) return { failed: `exited without a record; stderr:\n${stderr.slice(0, 2_000)}`, traces, stderr, wallMs };
    const observation = JSON.parse(readFileSync(record, 'utf8')) as RunResult;
    const crash = crashReason(stderr);
    return { ...observation, ...(crash && spec.mode === 'crash' ? { crash } : {}), traces, stderr, wallMs };
  }

  /** Removes the scratch project (kept with KEEP_SCRATCH=1, for debugging). */
  async dispose(): Promise<void> {
    await Promise.allSettled(this.runs.values());
    if (process.env.KEEP_SCRATCH !== '1') rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Program names under programs/. */
export function listPrograms(): string[] {
  return readdirSync(PROGRAMS)
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
    .map((f) => f.slice(0, -3))
    .sort();
}
