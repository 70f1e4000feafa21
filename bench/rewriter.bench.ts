// Rewriter benchmarks (issue 5). Run alone, on the workspace sources:
//   node --conditions=@tracewright/source --import tsx bench/rewriter.bench.ts
// or, as `npm run bench` does, on the built packages (after `npm run build`).
// Prints throughput of the text rewriter, the no-directive fast path against a bare
// `includes()` scan, and a Vite build of a generated project with vs. without the plugin.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'vite';
import { rewrite } from '@tracewright/transformer';
import tracewright from '@tracewright/transformer/vite';
import { measureSync, report } from './harness.js';
import { generateProject, type GeneratedProject } from '../packages/transformer/src/adapters/__tests__/generate-project.js';

interface Source {
  file: string;
  code: string;
}

const MB = 1024 * 1024;
const bytesOf = (sources: Source[]) => sources.reduce((n, s) => n + Buffer.byteLength(s.code), 0);

/**
 * CPU time (user + system) of this process, in ms. The machine is shared: wall-clock time
 * includes the time other processes hold the CPU, CPU time counts only our own work.
 */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Runs `fn` over the sources repeatedly for at least `minMs`; returns CPU ms per pass (best of rounds). */
function timePasses(sources: Source[], fn: (s: Source) => unknown, minMs = 1500): number {
  for (const s of sources) fn(s); // warm-up: JIT, TypeScript's lazy tables
  let best = Infinity;
  const started = performance.now();
  while (performance.now() - started < minMs) {
    const t0 = cpuMs();
    for (const s of sources) fn(s);
    best = Math.min(best, cpuMs() - t0);
  }
  return best;
}

function throughput(label: string, sources: Source[]): void {
  const ms = timePasses(sources, (s) => rewrite(s.code, s.file));
  const mbps = bytesOf(sources) / MB / (ms / 1000);
  console.log(`${label.padEnd(44)} ${sources.length} files, ${(bytesOf(sources) / 1024).toFixed(0)} KiB: ${mbps.toFixed(1)} MB/s (${ms.toFixed(1)} ms CPU/pass)`);
}

/** Files without a directive: what rewrite() costs over the cheapest possible scan of the text. */
function fastPath(sources: Source[]): void {
  const plain = sources.filter((s) => !/@[Tt]race/.test(s.code));
  let i = 0;
  let hits = 0; // results are consumed, so the JIT cannot drop the work being measured
  const next = () => plain[i++ % plain.length]!;
  const baseline = measureSync('code.includes("@trace")', 200_000, () => {
    if (next().code.includes('@trace')) hits++;
  });
  const ours = measureSync('rewrite() -> null', 200_000, () => {
    const s = next();
    if (rewrite(s.code, s.file) !== null) hits++;
  });
  if (hits !== 0) throw new Error('a file without directives was rewritten');
  report(`no-directive fast path (${plain.length} generated files, ~2.3 KB each)`, [baseline, ours], baseline);
}

type Variant = 'off' | 'on' | 'precomputed';

/**
 * Serves rewrite() results computed before the build: what Vite pays for our output (code and
 * source-map composition) without the core's parse and analysis, i.e. the adapter's share.
 */
function precomputed(files: string[]): Plugin {
  const results = new Map(files.map((file) => [file, rewrite(readFileSync(file, 'utf8'), file)]));
  return {
    name: 'tracewright-precomputed',
    enforce: 'pre',
    transform(_code, id) {
      const result = results.get(id);
      return result ? { code: result.code, map: result.map } : undefined;
    },
  };
}

/** CPU ms of one build (Rolldown's native threads included: process.cpuUsage covers every thread). */
async function viteBuildMs(root: string, entry: string, variant: Variant, files: string[]): Promise<number> {
  const plugins = variant === 'on' ? [tracewright()] : variant === 'precomputed' ? [precomputed(files)] : [];
  const t0 = cpuMs();
  await build({
    root,
    configFile: false,
    logLevel: 'silent',
    plugins,
    build: { lib: { entry, formats: ['es'], fileName: 'main' }, outDir: join(root, `dist-${variant}`), minify: false, write: true, emptyOutDir: true, rollupOptions: { external: [/^@tracewright\//] } },
  });
  return cpuMs() - t0;
}

async function viteRatio(label: string, project: GeneratedProject): Promise<void> {
  const { dir, entry, files } = project;
  const variants: Variant[] = ['off', 'on', 'precomputed'];
  for (const v of variants) await viteBuildMs(dir, entry, v, files); // warm-up (module graph, disk cache)
  const times: Record<Variant, number[]> = { off: [], on: [], precomputed: [] };
  for (let i = 0; i < 7; i++) for (const v of variants) times[v].push(await viteBuildMs(dir, entry, v, files));
  const best = (v: Variant) => Math.min(...times[v]);
  const median = (v: Variant) => [...times[v]].sort((a, b) => a - b)[3]!;
  console.log(
    `vite build, ${label}`.padEnd(44) +
      ` without plugin ${best('off').toFixed(0)} ms CPU, with ${best('on').toFixed(0)} ms: ratio ${(best('on') / best('off')).toFixed(2)}x best-of-7,` +
      ` ${(median('on') / median('off')).toFixed(2)}x median (target <= 1.15x);` +
      ` output precomputed (adapter + map cost only): ${(best('precomputed') / best('off')).toFixed(2)}x`,
  );
}

const REPO = fileURLToPath(new URL('..', import.meta.url));
/** Children resolve packages as this process does: workspace sources or the built dist/. */
const CONDITIONS = process.execArgv.filter((a) => a.startsWith('--conditions'));
const RESOLVES = CONDITIONS.some((a) => a.includes('@tracewright/source')) ? 'workspace sources' : 'built packages';

/** CPU ms (all threads, hooks thread included) of `node [flags] app.ts` in a child, best of 5. */
function childCpuMs(flags: string[], app: string): number {
  const report = `process.on('exit', () => { const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000)); });`;
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const out = execFileSync(process.execPath, [...CONDITIONS, ...flags, '--import', 'tsx', '--import', app, '--eval', report], { cwd: REPO, encoding: 'utf8' });
    best = Math.min(best, Number(out));
  }
  return best;
}

/**
 * What `--import @tracewright/transformer/register` adds to a process's start-up. With the
 * workspace sources the loader thread compiles our TypeScript through tsx first; a published
 * build loads dist/ (what `npm run bench` measures).
 */
function loaderStartup(): void {
  const dir = mkdtempSync(join(REPO, '.tmp', 'bench-loader-')); // inside the repo: @tracewright/* resolves
  const plain = join(dir, 'plain-app.ts');
  const traced = join(dir, 'traced-app.ts');
  writeFileSync(plain, `export function add(a: number, b: number): number {\n  return a + b;\n}\nadd(1, 2);\n`);
  writeFileSync(traced, `import '@tracewright/runtime';\n// @trace\nexport function add(a: number, b: number): number {\n  return a + b;\n}\nadd(1, 2);\n`);
  const register = ['--import', '@tracewright/transformer/register'];
  const row = (label: string, app: string) => {
    const off = childCpuMs([], app);
    const on = childCpuMs(register, app);
    console.log(`node loader start-up (${RESOLVES}), ${label}`.padEnd(44) + ` tsx alone ${off.toFixed(0)} ms CPU, with register ${on.toFixed(0)} ms (+${(on - off).toFixed(0)} ms)`);
  };
  row('app without directives', plain);
  row('app with one directive', traced);
  rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const fixturesDir = fileURLToPath(new URL('../test-fixtures/transform/', import.meta.url));
  const fixtures: Source[] = (existsSync(fixturesDir) ? readdirSync(fixturesDir, { withFileTypes: true }) : [])
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(fixturesDir, d.name)).filter((f) => /^input\.[cm]?[jt]sx?$/.test(f)).map((f) => join(fixturesDir, d.name, f)))
    .map((file) => ({ file, code: readFileSync(file, 'utf8') }));

  const dir = mkdtempSync(join(tmpdir(), 'tw-bench-'));
  try {
    const project = generateProject(dir, 300);
    const generated: Source[] = [...project.files, project.entry].map((file) => ({ file, code: readFileSync(file, 'utf8') }));
    const annotated = generated.filter((s) => /@[Tt]race/.test(s.code));

    console.log(`# rewriter (issue 5); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
    if (fixtures.length > 0) throughput('fixture corpus (test-fixtures/transform)', fixtures);
    else console.log('fixture corpus: test-fixtures/transform not found, skipped');
    throughput('generated project, all files', generated);
    throughput('generated project, annotated files only', annotated);
    fastPath(generated);
    await viteRatio('300 files, every 3rd annotated', project);
    await viteRatio('300 files, every 20th annotated', generateProject(join(dir, 'sparse'), 300, 20));
    loaderStartup();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
