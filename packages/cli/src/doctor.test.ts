/**
 * `tracewright doctor` on one real temporary project, broken one way after another (missing
 * plugin, plain tsc, stale build, SDK without autolog, dead server, read-only store, sampling
 * 0, two runtime copies installed and bundled), then repaired and built for real with tspc.
 * Each finding must name the cause, where it is, and the fix.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { buildSync } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiagnoseReport, Finding } from '@tracewright/runtime/doctor';
import { startFakeMlflowServer } from '../../runtime/src/exporters/testing/fake-mlflow-server.js';
import { REPO_ROOT, runCli } from './__tests__/cli-process.js';
import { tempDir } from '../../../test-support/temp-dir.js';

let project: string;
const bin = (pkg: string, file: string) => join(REPO_ROOT, 'node_modules', pkg, file);

function write(file: string, text: string): void {
  fs.mkdirSync(dirname(join(project, file)), { recursive: true });
  fs.writeFileSync(join(project, file), text);
}

function link(name: string): void {
  const path = join(project, 'node_modules', name);
  fs.mkdirSync(dirname(path), { recursive: true });
  fs.symlinkSync(fs.realpathSync(join(REPO_ROOT, 'node_modules', name)), path, 'dir');
}

function tsconfig(withPlugin: boolean): void {
  const compilerOptions = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', rootDir: 'src', outDir: 'dist', strict: true, skipLibCheck: true, types: [] };
  write('tsconfig.json', JSON.stringify({ compilerOptions: withPlugin ? { ...compilerOptions, plugins: [{ transform: '@tracewright/transformer' }] } : compilerOptions, include: ['src'] }, null, 2));
}

function packageJson(build: string): void {
  write('package.json', JSON.stringify({ name: 'doctor-demo', type: 'module', scripts: { build }, dependencies: { '@tracewright/runtime': '0.1.0', openai: '^6' } }));
}

async function doctor(env: Record<string, string> = {}): Promise<{ code: number | null; report: DiagnoseReport; stderr: string }> {
  const result = await runCli(['doctor', '--json', '--timeout', '5s'], { cwd: project, env: { MLFLOW_TRACE_SAMPLING_RATIO: '', ...env } });
  return { code: result.code, report: JSON.parse(result.stdout) as DiagnoseReport, stderr: result.stderr };
}

const find = (report: DiagnoseReport, id: string): Finding => {
  const found = report.findings.find((f) => f.id === id);
  if (!found) throw new Error(`no ${id} finding in ${JSON.stringify(report.findings.map((f) => f.id))}`);
  return found;
};

/** A 127.0.0.1 port nothing listens on (connections are refused). */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

beforeAll(() => {
  expect(fs.existsSync(join(REPO_ROOT, 'packages', 'transformer', 'dist', 'cjs', 'index.js')), 'run `npm run build` first (tspc loads the built transformer)').toBe(true);
  project = fs.realpathSync(tempDir('tw-doctor-'));
  for (const name of ['typescript', 'ts-patch', 'openai', 're2js', '@tracewright/runtime', '@tracewright/transformer']) link(name);
  write(
    'src/main.ts',
    `import { ask } from './llm.js';
// @trace
export function add(a: number, b: number): number {
  return a + b;
}
console.log(add(1, 2), typeof ask);
`,
  );
  write('src/llm.ts', `import OpenAI from 'openai';\nexport const ask = (q: string) => new OpenAI({ apiKey: 'x' }).responses.create({ model: 'm', input: q });\n`);
});

describe('tracewright doctor', () => {
  it('missing plugin, SDK with no autolog, sampling 0, two runtime copies installed and bundled: each named with its fix, exit 1', async () => {
    packageJson('tsc -p tsconfig.json');
    tsconfig(false);
    // A dependency with its own (older) runtime, and a bundle that inlines both copies.
    const nested = join(project, 'node_modules', 'old-lib', 'node_modules', '@tracewright', 'runtime');
    fs.mkdirSync(nested, { recursive: true });
    fs.cpSync(join(REPO_ROOT, 'packages', 'runtime', 'dist'), join(nested, 'dist'), { recursive: true });
    const pkg = JSON.parse(fs.readFileSync(join(REPO_ROOT, 'packages', 'runtime', 'package.json'), 'utf8'));
    fs.writeFileSync(join(nested, 'package.json'), JSON.stringify({ ...pkg, version: '0.0.9' }));
    write('node_modules/old-lib/package.json', JSON.stringify({ name: 'old-lib', version: '1.0.0', type: 'module', main: 'index.js' }));
    write('node_modules/old-lib/index.js', `export { trace as oldTrace } from '@tracewright/runtime';\n`);
    write('bundle-entry.mjs', `import { trace } from '@tracewright/runtime';\nimport { oldTrace } from 'old-lib';\nconsole.log(trace === oldTrace);\n`);
    try {
      buildSync({ absWorkingDir: project, entryPoints: ['bundle-entry.mjs'], bundle: true, platform: 'node', format: 'esm', outfile: 'build/app.mjs', logLevel: 'error' });
      const { code, report } = await doctor({ MLFLOW_TRACE_SAMPLING_RATIO: '0' });
      expect(code).toBe(1);
      const missing = find(report, 'transformer.missing');
      expect(missing).toMatchObject({ severity: 'error', site: 'src/main.ts:2' });
      expect(missing.message).toMatch(/1 \/\/ @trace directive\(s\) in 1 file\(s\), but no build step rewrites them/);
      expect(missing.fix).toMatch(/\{ "transform": "@tracewright\/transformer" \}.*tspc/);
      expect(find(report, 'tracing.sampling-zero')).toMatchObject({ severity: 'error', fix: 'unset MLFLOW_TRACE_SAMPLING_RATIO or setSamplingRatio(1)' });
      const noAutolog = find(report, 'integration.no-autolog');
      expect(noAutolog).toMatchObject({ severity: 'warning', site: 'src/llm.ts:1' });
      expect(noAutolog.fix).toMatch(/await autolog\(\) from '@tracewright\/runtime\/openai'/);
      const installed = find(report, 'runtime.installed-twice');
      expect(installed.message).toMatch(/2 copies of @tracewright\/runtime are installed \(.*0\.0\.9 at node_modules\/old-lib\/node_modules\/@tracewright\/runtime/);
      expect(installed.fix).toMatch(/npm dedupe/);
      expect(find(report, 'runtime.bundled-twice')).toMatchObject({ site: 'build/app.mjs' });
    } finally {
      fs.rmSync(join(project, 'node_modules', 'old-lib'), { recursive: true, force: true });
      fs.rmSync(join(project, 'build'), { recursive: true, force: true });
      fs.rmSync(join(project, 'bundle-entry.mjs'), { force: true });
    }
  });

  it('plugin configured but built with plain tsc: the stale output and the unpatched tsc are named', async () => {
    packageJson('tsc -p tsconfig.json');
    tsconfig(false);
    execFileSync(process.execPath, [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.json'], { cwd: project });
    tsconfig(true); // the plugin added after the build
    const result = await runCli(['doctor'], { cwd: project });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/ERROR tsconfig\.json configures @tracewright\/transformer, but the build runs plain tsc \(scripts\.build\) and TypeScript is not patched/);
    expect(result.stdout).toMatch(/fix build with tspc instead of tsc/);
    expect(result.stdout).toMatch(/ERROR dist\/main\.js has no rewritten \/\/ @trace site although src\/main\.ts has 1 directive\(s\)/);
    expect(result.stdout).toMatch(/at {2}src\/main\.ts:2\n {6}fix rebuild: npx tspc -p tsconfig\.json/);
  });

  it('a dead MLflow server is reported within the timeout, with how to fix it', async () => {
    const port = await refusedPort();
    const started = Date.now();
    const { code, report } = await doctor({ MLFLOW_TRACKING_URI: `http://127.0.0.1:${port}` });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(code).toBe(1);
    const dead = find(report, 'destination.unreachable');
    expect(dead.message).toMatch(new RegExp(`cannot reach the MLflow server at http://127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED`));
    expect(dead.fix).toMatch(/start the server \(mlflow server/);
  });

  it('an OTLP endpoint that answers 404 at the configured path is an error naming the URL', async () => {
    const paths: string[] = [];
    const server = createHttpServer((req, res) => {
      paths.push(`${req.method} ${req.url}`);
      req.resume().on('end', () => res.writeHead(404).end('not here'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}/wrong/path`;
    try {
      const { code, report } = await doctor({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint });
      expect(code).toBe(1);
      expect(find(report, 'destination.otlp-path')).toMatchObject({ severity: 'error', site: endpoint });
      expect(find(report, 'destination.otlp-path').fix).toMatch(/4318\/v1\/traces/);
      expect(paths).toEqual(['POST /wrong/path']);
    } finally {
      server.close();
    }
  });

  it('a store directory that cannot be written is an error naming the directory', async () => {
    // Root ignores permission bits, so as root the store is placed on sysfs, which nobody can write.
    const store = process.getuid?.() === 0 ? '/sys/tracewright-doctor-store' : join(project, 'ro-store');
    if (store.startsWith(project)) {
      fs.mkdirSync(store);
      fs.chmodSync(store, 0o555);
    }
    const { code, report } = await doctor({ MLFLOW_TRACKING_URI: store });
    expect(code).toBe(1);
    const ro = find(report, 'destination.not-writable');
    expect(ro).toMatchObject({ severity: 'error', site: store });
    expect(ro.message).toMatch(/cannot be written \((EACCES|EPERM|EROFS)/);
    expect(ro.fix).toMatch(/writable directory/);
  });

  it('repaired (tspc build, autolog before the SDK loads) against a live MLflow server: no errors, server version and upload mode shown; an unknown experiment id is an error', async () => {
    packageJson('tspc -p tsconfig.json');
    tsconfig(true);
    // A plain autolog() is enough when the SDK is loaded after it (here by import()).
    write('src/setup.ts', `import { autolog } from '@tracewright/runtime/openai';\nautolog();\n`);
    write('src/llm.ts', `const { default: OpenAI } = await import('openai');\nexport const ask = (q: string) => new OpenAI({ apiKey: 'x' }).responses.create({ model: 'm', input: q });\n`);
    execFileSync(process.execPath, [bin('ts-patch', 'bin/tspc.js'), '-p', 'tsconfig.json'], { cwd: project });
    expect(fs.readFileSync(join(project, 'dist', 'main.js'), 'utf8')).toContain('@tracewright/runtime/inject');
    const server = await startFakeMlflowServer({ version: '3.7.0' });
    try {
      const result = await runCli(['doctor'], { cwd: project, env: { MLFLOW_TRACKING_URI: server.url } });
      expect(result.code, result.stdout).toBe(0);
      expect(result.stdout).not.toMatch(/^(ERROR|WARN)/m);
      expect(result.stdout).toMatch(/MLflow server 3\.7\.0 answers; traces are uploaded by OTLP span upload \(\/v1\/traces, gzip\)/);
      expect(result.stdout).toMatch(/1 \/\/ @trace directive\(s\) in 1 file\(s\), rewritten by ts-patch \(tsconfig\.json\)/);
      expect(result.stdout).toMatch(/No problems found\.\n$/);
      const missing = await doctor({ MLFLOW_TRACKING_URI: server.url, MLFLOW_EXPERIMENT_ID: '999' });
      expect(missing.code).toBe(1);
      expect(find(missing.report, 'experiment.missing')).toMatchObject({ severity: 'error', site: server.url });
      expect(find(missing.report, 'experiment.missing').message).toMatch(/experiment id 999 does not exist on/);
    } finally {
      await server.close();
    }
  });
});
