/**
 * Distributed tracing across two real Node processes on 127.0.0.1: a client process calls the
 * chat service process with real `fetch`; both write to one destination (the same local
 * store directory, or the same MLflow server). The result must be ONE trace with the exact
 * tree client span → server request span → tool span; a hostile traceparent starts a fresh
 * trace on the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFakeMlflowServer, type FakeMlflowServer } from '../exporters/testing/fake-mlflow-server.js';
import { LocalTraceStore } from '../store/local-store.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SERVICE = fileURLToPath(new URL('./__tests__/chat-service.ts', import.meta.url));
const OTEL_SERVICE = fileURLToPath(new URL('./__tests__/chat-service-otel.ts', import.meta.url));
const CLIENT = fileURLToPath(new URL('./__tests__/chat-client.ts', import.meta.url));

function start(file: string, args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--conditions=@tracewright/source', '--import', 'tsx', file, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (out += c));
  // A hung child fails the test instead of holding it.
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  child.on('exit', () => clearTimeout(killer));
  return { child, output: () => out };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

/** Runs the client process: one request per mode ('propagate' or a raw traceparent). */
async function runClient(url: string, env: Record<string, string>, modes: string[]): Promise<Array<{ traceId: string; status: number }>> {
  const { child, output } = start(CLIENT, [url, ...modes], env);
  expect(await exited(child), output()).toBe(0);
  return [...output().matchAll(/^trace (\S+) status (\d+)$/gm)].map((m) => ({ traceId: m[1]!, status: Number(m[2]) }));
}

interface SpanView {
  name: string;
  spanId: string;
  parentId: string | null;
}

/** The span tree as names, children under their parents; throws on spans whose parent is missing. */
function treeOf(spans: readonly SpanView[]): unknown {
  const ids = new Set(spans.map((s) => s.spanId));
  const orphans = spans.filter((s) => s.parentId !== null && !ids.has(s.parentId));
  if (orphans.length) throw new Error(`spans with a parent outside the trace: ${orphans.map((s) => s.name)}`);
  const node = (s: SpanView): unknown => ({ [s.name]: spans.filter((c) => c.parentId === s.spanId).map(node) });
  return spans.filter((s) => s.parentId === null).map(node);
}

const EXPECTED_TREE = [{ client: [{ 'POST /chat': [{ lookup: [] }] }] }];
const HOSTILE = ['ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', '00-00000000000000000000000000000000-b7ad6b7169203331-01'];

type Kind = 'local store' | 'MLflow server' | 'local store, service app with OpenTelemetry';
interface Setup {
  store: string;
  serviceOutput: string;
  mlflow: FakeMlflowServer | undefined;
  runs: Array<{ traceId: string; status: number }>;
  hostileRuns: Array<{ traceId: string; status: number }>;
}

/** Starts the service process on a destination, runs the client process against it, stops the service. */
async function runScenario(kind: Kind): Promise<Setup> {
  const store = join(mkdtempSync(join(tmpdir(), 'tw-2proc-')), 'mlruns');
  const mlflow = kind === 'MLflow server' ? await startFakeMlflowServer() : undefined;
  const env = { MLFLOW_TRACKING_URI: mlflow ? mlflow.url : store, MLFLOW_EXPERIMENT_ID: '0' };
  const service = start(kind.endsWith('OpenTelemetry') ? OTEL_SERVICE : SERVICE, [], env);
  try {
    const port = await new Promise<string>((resolve, reject) => {
      service.child.stdout!.on('data', () => {
        const m = /^listening (\d+)$/m.exec(service.output());
        if (m) resolve(m[1]!);
      });
      service.child.once('exit', () => reject(new Error(`service exited: ${service.output()}`)));
    });
    const all = await runClient(`http://127.0.0.1:${port}`, env, ['propagate', ...HOSTILE]);
    expect(all).toHaveLength(1 + HOSTILE.length);
    service.child.kill('SIGTERM');
    expect(await exited(service.child), service.output()).toBe(0);
    return { store, serviceOutput: service.output(), mlflow, runs: all.slice(0, 1), hostileRuns: all.slice(1) };
  } finally {
    if (service.child.exitCode === null) service.child.kill('SIGKILL');
  }
}

const scenarios = new Map<Kind, Setup>();
// Both scenarios at once: each is mostly waiting for processes to start.
beforeAll(async () => {
  const kinds: Kind[] = ['local store', 'MLflow server', 'local store, service app with OpenTelemetry'];
  const done = await Promise.all(kinds.map(runScenario));
  kinds.forEach((k, i) => scenarios.set(k, done[i]!));
}, 60_000);
afterAll(async () => {
  for (const s of scenarios.values()) {
    await s.mlflow?.close();
    rmSync(dirname(s.store), { recursive: true, force: true });
  }
});

describe.each(['local store', 'MLflow server'] as const)('two processes, one destination (%s)', (kind) => {
  async function spansOf(traceId: string): Promise<SpanView[]> {
    const { mlflow, store } = scenarios.get(kind)!;
    if (mlflow) {
      const t = mlflow.traces.get(traceId);
      return (t?.spans ?? []).map((s) => ({ name: s.name, spanId: s.spanIdHex, parentId: s.parentSpanIdHex }));
    }
    const reader = LocalTraceStore.open(store);
    try {
      return (await reader.getTrace(traceId))?.data.spans ?? [];
    } finally {
      reader.close();
    }
  }

  test('the client span, the server request span and its tool span form one trace', async () => {
    const { mlflow, store, runs } = scenarios.get(kind)!;
    const [{ traceId, status }] = runs as [{ traceId: string; status: number }];
    expect(status).toBe(200);
    expect(treeOf(await spansOf(traceId))).toEqual(EXPECTED_TREE);
    if (mlflow) {
      expect(mlflow.violations).toEqual([]);
      expect(mlflow.traces.get(traceId)!.info.tags['mlflow.traceName']).toBe('client');
    } else {
      const reader = LocalTraceStore.open(store);
      try {
        const { traces } = await reader.searchTraces({ filterString: "metadata.`mlflow.trace.user` = 'user-1'" });
        // the user set by the server's middleware, found on the merged trace, whose info is the client root's
        const merged = traces.find((t) => t.info.traceId === traceId)!;
        expect(merged.info.tags['mlflow.traceName']).toBe('client');
      } finally {
        reader.close();
      }
    }
  });

  test('hostile traceparent values: the request still succeeds, the server starts a fresh trace', async () => {
    const { mlflow, store, hostileRuns } = scenarios.get(kind)!;
    for (const run of hostileRuns) {
      expect(run.status).toBe(200);
      expect(treeOf(await spansOf(run.traceId))).toEqual([{ client: [] }]);
    }
    // ...and each of those requests became a trace of its own.
    const traceIds = mlflow ? [...mlflow.traces.keys()] : await allTraceIds(store);
    expect(traceIds).toHaveLength(1 + 2 * HOSTILE.length);
  });
});

describe('two processes, the service app has its own OpenTelemetry SDK with the tracewright bridge', () => {
  const kind: Kind = 'local store, service app with OpenTelemetry';

  test('one trace: client span → server request span → tool span → the OTel fetch span the tool made', async () => {
    const { store, runs } = scenarios.get(kind)!;
    const [{ traceId, status }] = runs as [{ traceId: string; status: number }];
    expect(status).toBe(200);
    const reader = LocalTraceStore.open(store);
    try {
      const spans = (await reader.getTrace(traceId))!.data.spans;
      expect(treeOf(spans)).toEqual([{ client: [{ 'POST /chat': [{ lookup: [{ GET: [] }] }] }] }]);
      expect(spans.every((s) => s.traceId === traceId)).toBe(true);
      const fetchSpan = spans.find((s) => s.name === 'GET')!;
      expect(fetchSpan.attributes['url.full']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/search\?q=tracing$/);
      expect(fetchSpan.attributes['http.response.status_code']).toBe(200);
    } finally {
      reader.close();
    }
  });

  test("the service app's own exporter still received its OTel span, in the same trace under the tool span", async () => {
    const { store, runs, serviceOutput } = scenarios.get(kind)!;
    const exported = JSON.parse(/^app-exported (.*)$/m.exec(serviceOutput)![1]!) as SpanView[] & Array<{ traceId: string }>;
    const traceId = runs[0]!.traceId;
    const reader = LocalTraceStore.open(store);
    try {
      const spans = (await reader.getTrace(traceId))!.data.spans;
      const tool = spans.find((s) => s.name === 'lookup')!;
      const ofThisTrace = exported.filter((s) => s.traceId === traceId.slice(3));
      expect(ofThisTrace.map((s) => [s.name, s.parentId, s.spanId])).toEqual([['GET', tool.spanId, spans.find((s) => s.name === 'GET')!.spanId]]);
    } finally {
      reader.close();
    }
  });
});

async function allTraceIds(store: string): Promise<string[]> {
  const reader = LocalTraceStore.open(store);
  try {
    return (await reader.searchTraces({ maxResults: 100 })).traces.map((t) => t.info.traceId);
  } finally {
    reader.close();
  }
}
