import * as fs from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deleteTraces,
  flushTraces,
  getTrace,
  getTrackingUri,
  getTracingDiagnostics,
  init,
  LocalTraceStore,
  resetTracingDiagnostics,
  searchTraces,
  setDiagnosticLogger,
  setExperiment,
  setTrackingUri,
  trace,
  updateCurrentTrace,
  getLastActiveTraceId,
} from '../index.js';
import { runtimeState } from '../core/state.js';
import { parseTrackingUri } from './tracking-uri.js';
import { runTs } from '../store/__tests__/fixtures.js';
import { tempDir } from '../../../../test-support/temp-dir.js';

const app = new URL('./__tests__/app-child.ts', import.meta.url);
const freshDir = () => tempDir('tw-cfg-');

/** The child must see only what each test sets. */
const CLEAN_ENV = Object.fromEntries(
  Object.keys(process.env)
    .filter((k) => k.startsWith('MLFLOW_') || k.startsWith('OTEL_'))
    .map((k) => [k, undefined]),
);

async function runApp(cwd: string, env: Record<string, string> = {}) {
  const result = await runTs(app, [], { cwd, env: { ...CLEAN_ENV, ...env } });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout.trim().split('\n').pop()!);
}

describe('zero configuration and environment (real processes)', () => {
  it("the seed query finds the user's trace in ./mlruns with nothing configured", async () => {
    const cwd = freshDir();
    const out = await runApp(cwd);
    expect(out.traces).toEqual([{ experimentId: '0', user: 'user123', name: 'answerQuestion', spans: 1 }]);
    expect(out.uri).toBe(pathToFileURL(join(fs.realpathSync(cwd), 'mlruns')).href);
    expect(LocalTraceStore.open(join(cwd, 'mlruns')).count()).toBe(2);
  });

  it('importing the package creates no files (the store is created by the first finished trace)', async () => {
    const cwd = freshDir();
    const result = await runTs(new URL('./__tests__/import-only-child.ts', import.meta.url), [], { cwd, env: CLEAN_ENV });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it('honours MLFLOW_TRACKING_URI (file:) and MLFLOW_EXPERIMENT_NAME (created if missing)', async () => {
    const cwd = freshDir();
    const out = await runApp(cwd, { MLFLOW_TRACKING_URI: 'file:./elsewhere/store', MLFLOW_EXPERIMENT_NAME: 'nightly' });
    const store = LocalTraceStore.open(join(cwd, 'elsewhere', 'store'));
    const id = store.getExperimentByName('nightly')?.experimentId;
    expect(id).toBeDefined();
    expect(out.traces.map((t: { experimentId: string }) => t.experimentId)).toEqual([id]);
    expect(store.count(id)).toBe(2);
    expect(fs.existsSync(join(cwd, 'mlruns'))).toBe(false);
  });

  it('honours MLFLOW_EXPERIMENT_ID with a plain-path MLFLOW_TRACKING_URI', async () => {
    const cwd = freshDir();
    const out = await runApp(cwd, { MLFLOW_TRACKING_URI: join(cwd, 'plain'), MLFLOW_EXPERIMENT_ID: '7' });
    expect(out.traces.map((t: { experimentId: string }) => t.experimentId)).toEqual(['7']);
    expect(LocalTraceStore.open(join(cwd, 'plain')).count('7')).toBe(2);
  });

  it('an unknown MLFLOW_TRACKING_URI scheme never breaks the app: traces are dropped, counted, and search explains why', async () => {
    const out = await runApp(freshDir(), { MLFLOW_TRACKING_URI: 'ftp://example.com/x' });
    expect(out.error).toMatch(/MLFLOW_TRACKING_URI: unsupported scheme "ftp:"/);
    expect(out.diagnostics.errors['configure tracing destination']).toBe(1);
    expect(Object.values(out.diagnostics.dropped)).toEqual([2]);
  });

  it('routes to an OTLP collector when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set; dual export also keeps the local store', async () => {
    const requests: string[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      req.resume();
      req.on('end', () => {
        requests.push(`${req.method} ${req.url}`);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
    try {
      const onlyCwd = freshDir();
      const only = await runApp(onlyCwd, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint });
      expect(only.error).toMatch(/cannot be read back/);
      expect(fs.existsSync(join(onlyCwd, 'mlruns'))).toBe(false);

      requests.length = 0;
      const dual = await runApp(freshDir(), { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint, MLFLOW_TRACE_ENABLE_OTLP_DUAL_EXPORT: 'true' });
      expect(dual.traces).toHaveLength(1);
      expect(requests).toContain('POST /v1/traces');

      const offCwd = freshDir();
      const off = await runApp(offCwd, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint, MLFLOW_ENABLE_OTLP_EXPORTER: 'false' });
      expect(off.traces).toHaveLength(1);
    } finally {
      server.close();
    }
  });
});

describe('parseTrackingUri', () => {
  it('maps paths and file: URIs to a local store, http(s) to a server', () => {
    expect(parseTrackingUri(undefined)).toMatchObject({ kind: 'local', root: join(process.cwd(), 'mlruns') });
    expect(parseTrackingUri('file:///srv/traces')).toMatchObject({ kind: 'local', root: '/srv/traces', uri: 'file:///srv/traces' });
    expect(parseTrackingUri('file:rel/dir')).toMatchObject({ kind: 'local', root: join(process.cwd(), 'rel/dir') });
    expect(parseTrackingUri('/abs/dir')).toMatchObject({ kind: 'local', root: '/abs/dir' });
    expect(parseTrackingUri('HTTPS://mlflow.example.com:5000/')).toEqual({ kind: 'mlflow', uri: 'HTTPS://mlflow.example.com:5000' });
    expect(() => parseTrackingUri('http://')).toThrow(/not a valid URL/);
    expect(() => parseTrackingUri('postgresql://u@h/db')).toThrow(/unsupported scheme "postgresql:".*mlflow server --backend-store-uri/);
  });
});

describe('setTrackingUri / setExperiment / init / getTrace / searchTraces / deleteTraces', () => {
  const answer = trace(async function answer(q: string, user = 'u1') {
    updateCurrentTrace({ user });
    return q.toUpperCase();
  });

  beforeEach(() => {
    runtimeState().experimentId = '0';
  });
  afterEach(() => {
    setDiagnosticLogger((m) => console.warn(m));
  });

  it('rejects unsupported tracking URIs with a clear error, before changing anything', () => {
    const dir = freshDir();
    setTrackingUri(dir);
    expect(() => setTrackingUri('sqlite:///mlflow.db')).toThrow(/unsupported scheme "sqlite:".*mlflow server/);
    expect(() => setTrackingUri('databricks')).not.toThrow(); // a relative directory named "databricks"
    setTrackingUri(dir);
    expect(() => setTrackingUri(42 as unknown as string)).toThrow(TypeError);
    expect(getTrackingUri()).toBe(pathToFileURL(dir).href);
    expect(() => setTrackingUri('http://localhost:5000')).not.toThrow();
    expect(getTrackingUri()).toBe('http://localhost:5000');
    setTrackingUri(`file://${dir}`);
    expect(getTrackingUri()).toBe(pathToFileURL(dir).href);
  });

  it('setExperiment creates the experiment, new traces belong to it, and search defaults to it', async () => {
    const dir = freshDir();
    setTrackingUri(dir);
    await answer('in default');
    const id = await setExperiment('my-exp');
    expect(id).not.toBe('0');
    expect(await setExperiment('my-exp')).toBe(id);
    await answer('in my-exp', 'user123');
    const page = await searchTraces({ filterString: "metadata.`mlflow.trace.user` = 'user123'" });
    expect(page.traces.map((t) => t.info.traceLocation.mlflowExperiment.experimentId)).toEqual([id]);
    expect((await searchTraces({ experimentIds: ['0'] })).traces).toHaveLength(1);
    const last = await getTrace(getLastActiveTraceId()!);
    expect(last?.data.spans[0]?.outputs).toBe('IN MY-EXP');
    await expect(setExperiment('')).rejects.toThrow(/non-empty string/);
  });

  it('switching the tracking URI flushes the previous store first', async () => {
    const a = freshDir();
    const b = freshDir();
    setTrackingUri(a);
    await answer('one');
    await answer('two');
    setTrackingUri(b); // no await in between: pending writes to `a` must land
    expect(LocalTraceStore.open(a).count()).toBe(2);
    await answer('three');
    expect((await searchTraces()).traces).toHaveLength(1);
  });

  it('with an MLflow server URI, setExperiment resolves the name through the server', async () => {
    const calls: string[] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        calls.push(`${req.method} ${req.url?.split('?')[0]}`);
        if (req.url?.startsWith('/api/2.0/mlflow/experiments/get-by-name')) {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"no such experiment"}');
        } else if (req.url === '/api/2.0/mlflow/experiments/create') {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"experiment_id":"17"}');
        } else {
          res.writeHead(404).end();
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      setTrackingUri(uri);
      expect(getTrackingUri()).toBe(uri);
      expect(await setExperiment('remote-exp')).toBe('17');
      expect(runtimeState().experimentId).toBe('17');
      expect(calls).toEqual(['GET /api/2.0/mlflow/experiments/get-by-name', 'POST /api/2.0/mlflow/experiments/create']);
    } finally {
      setTrackingUri(freshDir());
      server.close();
    }
  });

  it('init sets URI and experiment synchronously', async () => {
    const dir = freshDir();
    init({ trackingUri: dir, experimentName: 'from-init' });
    const id = LocalTraceStore.open(dir).getExperimentByName('from-init')!.experimentId;
    expect(runtimeState().experimentId).toBe(id);
    init({ experimentId: '12' });
    await answer('x');
    expect((await searchTraces()).traces[0]?.info.traceLocation.mlflowExperiment.experimentId).toBe('12');
    expect(() => init({ experimentId: '1', experimentName: 'y' })).toThrow(/either/);
    expect(() => init({ experimentId: '' })).toThrow(/non-empty/);
  });

  it('deleteTraces defaults to the active experiment', async () => {
    setTrackingUri(freshDir());
    await answer('a');
    await answer('b');
    await setExperiment('other');
    await answer('c');
    expect(await deleteTraces({ maxTraces: 0 })).toBe(1);
    expect((await searchTraces({ experimentIds: ['0'] })).traces).toHaveLength(2);
  });

  it('a store that cannot be written is counted by getTracingDiagnostics, never thrown into the app', async () => {
    resetTracingDiagnostics();
    setDiagnosticLogger(null);
    const base = freshDir();
    fs.writeFileSync(join(base, 'not-a-dir'), '');
    setTrackingUri(join(base, 'not-a-dir', 'mlruns'));
    await expect(answer('still works')).resolves.toBe('STILL WORKS');
    await expect(answer('and again')).resolves.toBe('AND AGAIN');
    await expect(searchTraces()).rejects.toThrow(/ENOTDIR/);
    const diag = getTracingDiagnostics();
    const site = Object.keys(diag.errors).find((k) => k.startsWith('write local store'))!;
    // One outage, reported once; the traces wait (bounded) for the store to become writable.
    expect(diag.errors[site]).toBe(1);
    expect(Object.values(diag.dropped)).toEqual([]);
    // Once the path can be made, the waiting traces are written (and not later, into a removed
    // temporary directory, after this file's cleanup).
    fs.rmSync(join(base, 'not-a-dir'));
    await flushTraces();
    const { traces: stored } = await searchTraces();
    // Both may start in the same millisecond: compared in order of their inputs, not their times.
    const inputs = stored.map((t) => t.data.spans[0]!.inputs as { q: string; user: string }).sort((a, b) => a.q.localeCompare(b.q));
    expect(inputs).toEqual([{ q: 'and again', user: 'u1' }, { q: 'still works', user: 'u1' }]);
  });
});
