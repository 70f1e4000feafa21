/**
 * The exit budget, from the outside: a real program traces a few calls and ends without
 * flushTraces(), against a real loopback server of every failure shape. However the server
 * fails, the program exits within the 5 s budget (plus process teardown), with its own exit
 * code, and the traces it could not deliver are counted and named in the diagnostics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_FLUSH_BUDGET_MS } from './pipeline.js';
import { startFakeMlflowServer } from '../testing/fake-mlflow-server.js';
import { FAILURE_SHAPES, startFailureServer, type FailureServer, type FailureShape } from '../testing/failure-servers.js';
import { runExitChild, type ExitChildDestination, type ExitChildResult } from '../testing/run-exit-child.js';

const DESTINATIONS: readonly ExitChildDestination[] = ['mlflow', 'otlp-protobuf', 'otlp-json'];
/** Budget + teardown + a loaded shared CI machine. */
const EXIT_LIMIT_MS = 7_500;
const EXIT_CODE = 3;
const TRACES = 3;

/** What the one-time warning must name for each shape. */
const REASON: Record<FailureShape, RegExp> = {
  refused: /ECONNREFUSED/,
  hung: /no complete answer within the 5 s exit budget/,
  slow: /no complete answer within the 5 s exit budget/,
  'half-closed': /socket hang up/,
  'mid-response': /closed mid-response/,
  trickle: /no complete answer within the 5 s exit budget/,
};

// Children are real node processes: a few at a time keeps a shared machine usable.
let running = 0;
const queue: Array<() => void> = [];
async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= 3) await new Promise<void>((resolve) => queue.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    queue.shift()?.();
  }
}

const servers = new Map<FailureShape, FailureServer>();
beforeAll(async () => {
  for (const shape of FAILURE_SHAPES) servers.set(shape, await startFailureServer(shape));
});
afterAll(async () => {
  for (const server of servers.values()) await server.close();
});

const measured: string[] = [];
afterAll(() => console.log(`exit delay after "app done" (budget ${EXIT_FLUSH_BUDGET_MS} ms):\n${measured.sort().join('\n')}`));

describe.concurrent('exit budget: a finished program against a failing server', () => {
  for (const destination of DESTINATIONS) {
    for (const shape of FAILURE_SHAPES) {
      it(`${destination} × ${shape}`, async () => {
        const result: ExitChildResult = await limited(() => runExitChild(destination, servers.get(shape)!.url, { count: TRACES, exitCode: EXIT_CODE }));
        measured.push(`${destination.padEnd(14)} ${shape.padEnd(13)} ${result.exitDelayMs} ms`);
        expect(result.stdout).toContain('app done');
        expect(result.signal).toBeNull();
        expect(result.code).toBe(EXIT_CODE);
        expect(result.exitDelayMs).toBeLessThan(EXIT_LIMIT_MS);
        // Every trace is accounted for as dropped, and each cause is named once. The traces are
        // given up one by one: on a loaded machine the last one's final attempt can be cut by
        // the exit budget instead (a second cause, ETIMEDOUT, named once too).
        const { dropped, errors } = result.diagnostics!;
        expect(Object.values(dropped).reduce((a, b) => a + b, 0)).toBe(TRACES);
        expect(Object.keys(errors).some((site) => / gave up at exit /.test(site))).toBe(true);
        const warnings = result.stderr.split('\n').filter((l) => l.startsWith('[tracewright]'));
        const gaveUp = warnings.filter((l) => / gave up at exit /.test(l));
        const causes = gaveUp.map((l) => / gave up at exit \(([^)]*)\)/.exec(l)?.[1]);
        expect(gaveUp.length, gaveUp.join('\n')).toBeGreaterThanOrEqual(1);
        expect(new Set(causes).size, gaveUp.join('\n')).toBe(gaveUp.length);
        expect(gaveUp.some((l) => REASON[shape].test(l)), gaveUp.join('\n')).toBe(true);
      }, 90_000);
    }
  }
});

/** Each request of the MLflow export path, hanging alone while the server answers all the others. */
const MLFLOW_STEPS: ReadonlyArray<{ step: string; path: string; otlp?: boolean; names: RegExp }> = [
  { step: 'experiment lookup', path: '/api/2.0/mlflow/experiments/get-by-name', names: /GET \S+\/experiments\/get-by-name: no complete answer within the 5 s exit budget/ },
  { step: 'server-info probe', path: '/version', names: /GET \S+\/version: no complete answer within the 5 s exit budget/ },
  { step: 'OTLP span upload', path: '/v1/traces', names: /POST \S+\/v1\/traces: no complete answer within the 5 s exit budget/ },
  { step: 'StartTraceV3', path: '/api/3.0/mlflow/traces', names: /POST \S+\/api\/3\.0\/mlflow\/traces: no complete answer within the 5 s exit budget/ },
  { step: 'artifact upload', path: '/api/2.0/mlflow-artifacts/', otlp: false, names: /PUT \S+\/traces\.json: no complete answer within the 5 s exit budget/ },
];

describe.concurrent('exit budget: each MLflow request is cut off at the budget', () => {
  for (const { step, path, otlp, names } of MLFLOW_STEPS) {
    it(`mlflow × ${step} hangs`, async () => {
      const server = await startFakeMlflowServer({ otlp });
      server.inject(path, { kind: 'delay', ms: 20_000 }, Number.MAX_SAFE_INTEGER);
      try {
        const result = await limited(() => runExitChild('mlflow', server.url, { count: TRACES, exitCode: EXIT_CODE }));
        measured.push(`${'mlflow'.padEnd(14)} ${`hung ${path}`.padEnd(13)} ${result.exitDelayMs} ms`);
        expect(result.code).toBe(EXIT_CODE);
        expect(result.exitDelayMs).toBeLessThan(EXIT_LIMIT_MS);
        expect(Object.values(result.diagnostics!.dropped).reduce((a, b) => a + b, 0)).toBe(TRACES);
        expect(result.stderr).toMatch(names);
        expect(server.requestsTo((r) => r.path.startsWith(path)).length).toBeGreaterThan(0);
      } finally {
        await server.close();
      }
    }, 90_000);
  }
});

describe('exit flush against a healthy server', () => {
  for (const destination of DESTINATIONS) {
    it(`${destination}: everything is delivered before the process exits, exit code unchanged`, async () => {
      const server = await startFakeMlflowServer();
      try {
        const result = await runExitChild(destination, server.url, { count: 5, exitCode: EXIT_CODE });
        expect(result.code).toBe(EXIT_CODE);
        expect(result.diagnostics).toEqual({ dropped: {}, errors: {} });
        expect(server.violations).toEqual([]);
        if (destination === 'mlflow') {
          expect(server.traces.size).toBe(5);
          expect([...server.traces.values()].every((t) => t.started && t.spans.length === 1)).toBe(true);
        } else {
          const contentType = destination === 'otlp-json' ? 'application/json' : 'application/x-protobuf';
          expect(server.otlpRequests.every((r) => r.contentType === contentType)).toBe(true);
          const names = server.otlpRequests.flatMap((r) => r.decoded.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name))));
          expect(names).toEqual(['work', 'work', 'work', 'work', 'work']);
          expect(server.traces.size).toBe(5);
        }
      } finally {
        await server.close();
      }
    });
  }
});
