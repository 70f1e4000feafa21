/**
 * diagnose() inside real programs: each scenario is a small project (its own directory and
 * sources) under one temporary root whose node_modules links the real packages; the program
 * runs in a child process, calls diagnose() and prints the report.
 */
import * as fs from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTs } from '../store/__tests__/fixtures.js';
import { resetTracingDiagnostics, setDiagnosticLogger, startSpan, trace } from '../index.js';
import { diagnose, type DiagnoseReport, type Finding } from './index.js';
import { tempDir } from '../../../../test-support/temp-dir.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const RUNTIME_DIST = join(REPO, 'packages', 'runtime', 'dist', 'esm', 'index.js');
let root: string;

function link(name: string): void {
  const target = fs.realpathSync(join(REPO, 'node_modules', name));
  const path = join(root, 'node_modules', name);
  fs.mkdirSync(dirname(path), { recursive: true });
  fs.symlinkSync(target, path, 'dir');
}

/** Writes the scenario's files, runs `main.ts` there and returns the report(s) it printed. */
async function scenario(name: string, files: Record<string, string>, env: Record<string, string | undefined> = {}): Promise<DiagnoseReport[]> {
  const dir = join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, type: 'module', dependencies: { openai: '*' } }));
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(join(dir, file), text);
  const result = await runTs(join(dir, 'main.ts'), [], {
    cwd: dir,
    env: { MLFLOW_TRACKING_URI: undefined, MLFLOW_EXPERIMENT_NAME: undefined, MLFLOW_EXPERIMENT_ID: undefined, MLFLOW_TRACE_SAMPLING_RATIO: undefined, OTEL_EXPORTER_OTLP_ENDPOINT: undefined, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined, ...env },
  });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as DiagnoseReport);
}

const byId = (report: DiagnoseReport, id: string): Finding[] => report.findings.filter((f) => f.id === id);
const PRINT = 'console.log(JSON.stringify(await diagnose()));\n';

beforeAll(() => {
  root = fs.realpathSync(tempDir('tw-diagnose-'));
  for (const name of ['openai', '@tracewright/runtime', 're2js']) link(name);
});

describe('diagnose() in the running program', () => {
  it('an SDK loaded with no autolog() in effect is named, with the fix', async () => {
    const [report] = await scenario('no-autolog', {
      'main.ts': `import { createRequire } from 'node:module';
import OpenAI from 'openai';
import { diagnose } from '@tracewright/runtime/doctor';
createRequire(import.meta.url)('openai');
new OpenAI({ apiKey: 'x', baseURL: 'http://127.0.0.1:9' });
${PRINT}`,
    });
    const [loaded] = byId(report!, 'integration.autolog-not-called');
    expect(loaded).toMatchObject({ severity: 'warning' });
    expect(loaded!.message).toMatch(/openai is loaded in this process but autolog\(\) from @tracewright\/runtime\/openai was never called/);
    expect(loaded!.fix).toMatch(/await autolog\(\)/);
    expect(byId(report!, 'integration.no-autolog')[0]).toMatchObject({ site: 'main.ts:2', severity: 'warning' });
    expect(report!.errors).toBe(0);
  });

  it('autolog() called without await: pending at run time, and the call site named', async () => {
    const [report] = await scenario('not-awaited', {
      'main.ts': `import OpenAI from 'openai';
import { autolog } from '@tracewright/runtime/openai';
import { diagnose } from '@tracewright/runtime/doctor';
autolog();
void OpenAI;
${PRINT}`,
    });
    expect(byId(report!, 'integration.autolog-pending')[0]!.fix).toBe('await autolog() before the first LLM call');
    // the same words as the runtime's own warning (autolog/common/autolog-order.ts)
    expect(byId(report!, 'integration.autolog-not-awaited')[0]).toMatchObject({ site: 'main.ts:4', fix: expect.stringMatching(/^write await autolog\(\) before the first LLM call \(or import openai after autolog\(\)/) });
  });

  it('open children, dropped traces and an invalid tracking URI are named with their site', async () => {
    const [report] = await scenario(
      'dropped',
      {
        'main.ts': `import { startSpan, trace } from '@tracewright/runtime';
import { diagnose } from '@tracewright/runtime/doctor';
const leaky = trace(function leaky() { startSpan({ name: 'fire-and-forget' }); return 1; });
const fine = trace(function fine() { return 2; });
leaky();
fine();
${PRINT}process.exit(0);
`,
      },
      { MLFLOW_TRACKING_URI: 'ftp://example.com/x' },
    );
    expect(byId(report!, 'destination.invalid-uri')[0]).toMatchObject({ severity: 'error', site: 'MLFLOW_TRACKING_URI' });
    expect(byId(report!, 'destination.invalid-uri')[0]!.message).toMatch(/unsupported scheme "ftp:"/);
    const open = byId(report!, 'spans.open-children')[0]!;
    expect(open).toMatchObject({ severity: 'warning', site: 'fire-and-forget' });
    expect(open.message).toMatch(/root "leaky"/);
    const dropped = byId(report!, 'export.dropped')[0]!;
    expect(dropped.message).toMatch(/^1 trace\(s\) were dropped by unavailable destination/);
    expect(report!.errors).toBeGreaterThanOrEqual(2);
  });

  it('two copies of @tracewright/runtime loaded in one process', async () => {
    expect(fs.existsSync(RUNTIME_DIST), 'run `npm run build` first: this test loads the built runtime as the second copy').toBe(true);
    const copy = join(root, 'node_modules', 'other-lib', 'node_modules', '@tracewright', 'runtime');
    fs.mkdirSync(copy, { recursive: true });
    fs.cpSync(join(REPO, 'packages', 'runtime', 'dist'), join(copy, 'dist'), { recursive: true });
    const pkg = JSON.parse(fs.readFileSync(join(REPO, 'packages', 'runtime', 'package.json'), 'utf8'));
    fs.writeFileSync(join(copy, 'package.json'), JSON.stringify({ ...pkg, version: '0.0.9' }));
    try {
      const [report] = await scenario('two-copies', {
        'main.ts': `import { trace } from '@tracewright/runtime';
import { diagnose } from '@tracewright/runtime/doctor';
await import(${JSON.stringify(join(copy, 'dist', 'esm', 'index.js'))});
void trace;
${PRINT}`,
      });
      const [twice] = byId(report!, 'runtime.loaded-twice');
      expect(twice!.message).toMatch(/2 copies of @tracewright\/runtime are loaded in this process \(0\.2\.0 at .*packages\/runtime, 0\.0\.9 at .*other-lib/);
      expect(twice!.fix).toMatch(/npm dedupe/);
    } finally {
      fs.rmSync(join(root, 'node_modules', 'other-lib'), { recursive: true, force: true });
    }
  });

  it('a healthy program reports no errors or warnings and names its newest trace; sampling 0 is then an error, disabled tracing a warning', async () => {
    const reports = await scenario('healthy', {
      'main.ts': `import OpenAI from 'openai';
import { disableTracing, flushTraces, setSamplingRatio, trace } from '@tracewright/runtime';
import { autolog } from '@tracewright/runtime/openai';
import { diagnose } from '@tracewright/runtime/doctor';
await autolog();
void OpenAI;
await trace(async function answer(q: string) { return q; })('hi');
await flushTraces();
${PRINT}setSamplingRatio(0);
${PRINT}disableTracing();
${PRINT}`,
    });
    const [healthy, sampled, disabled] = reports;
    expect(healthy!.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(byId(healthy!, 'destination.recent')[0]!.message).toMatch(/newest trace in experiment 0: tr-/);
    expect(byId(sampled!, 'tracing.sampling-zero')[0]).toMatchObject({ severity: 'error', fix: 'unset MLFLOW_TRACE_SAMPLING_RATIO or setSamplingRatio(1)' });
    expect(byId(disabled!, 'tracing.disabled')[0]).toMatchObject({ severity: 'warning', fix: 'call enableTracing(), or remove the disableTracing() call' });
  });
});

describe('diagnose() in this process', () => {
  it('spans tracewright had to end are counted per span and named with the fix', async () => {
    resetTracingDiagnostics();
    setDiagnosticLogger(null);
    let child: ReturnType<typeof startSpan> | undefined;
    trace(function parent() {
      child = startSpan({ name: 'stream-never-consumed' });
    })();
    child!.endUnfinished('timeout'); // what the orphan wait does when it runs out
    const report = await diagnose({ cwd: tempDir('tw-diagnose-empty-') });
    const [unfinished] = byId(report, 'spans.unfinished');
    expect(unfinished).toMatchObject({ severity: 'warning', site: 'stream-never-consumed (timeout)' });
    expect(unfinished!.fix).toMatch(/await the child work inside the traced function/);
    await expect(diagnose({ timeoutMs: 0 })).rejects.toThrow(/"timeoutMs" must be a positive number/);
  });
});
