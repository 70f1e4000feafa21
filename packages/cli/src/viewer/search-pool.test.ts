/**
 * Searches run off the viewer's request thread: while a slow search occupies a worker, the
 * viewer keeps answering; a search past its budget is answered 504; a worker stuck past the
 * pool's backstop is replaced.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryDestination, LocalStoreDestination, setDestination, trace, updateCurrentTrace, withSpan } from '@tracewright/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource, type TraceSource } from '../source.js';
import { SearchPool } from './search-pool.js';
import { startViewer, type Viewer } from './server.js';

/** Linear-time, but ~1 ms per 100 KB span attribute in RE2 (near the pattern-size limit). */
const SLOW_FILTER = "span.attributes.big RLIKE '(?i)(\\pL|\\pN){0,200}!$'";
/**
 * Fifty times that: ~4 s on two quiet cores (ten terms took ~0.8 s, close enough to the 1 s
 * backstop below that a quiet machine finished before it), far longer than the requests made
 * while it runs.
 */
const SLOWER_FILTER = Array.from({ length: 50 }, (_, i) => `span.attributes.big RLIKE '(?i)(\\pL|\\pN){0,${200 - i}}!$'`).join(' OR ');
const TRACES = 100;
let work: string;
let store: string;
let someTraceId: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tw-pool-'));
  store = join(work, 'mlruns');
  const memory = new InMemoryDestination();
  setDestination(memory);
  const record = trace(async function big(i: number) {
    updateCurrentTrace({ user: `u${i % 2}`, sessionId: `s${i % 3}` });
    return withSpan(() => i, { name: 'big', attributes: { big: 'é1'.repeat(50_000) } });
  });
  for (let i = 0; i < TRACES; i++) await record(i);
  setDestination(undefined);
  const writer = new LocalStoreDestination(store);
  for (const t of memory.traces) writer.export(t);
  await writer.flush();
  await writer.shutdown();
  someTraceId = memory.traces[0]!.info.traceId;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function timed(url: string): Promise<{ status: number; ms: number; body: string }> {
  const started = Date.now();
  const res = await fetch(url);
  const body = await res.text();
  return { status: res.status, ms: Date.now() - started, body };
}

describe('viewer with its search pool', () => {
  let source: TraceSource;
  let viewer: Viewer;
  beforeAll(async () => {
    source = await openSource({ store });
    viewer = await startViewer({ source, port: 0, searchTimeoutMs: 120_000 });
    // Both workers started and caught up with the store.
    await Promise.all([timed(`${viewer.url}api/traces?max=1`), timed(`${viewer.url}api/traces?max=2`)]);
  });
  afterAll(async () => {
    await viewer.close();
    await source.close();
  });

  it('answers other requests promptly while a slow search is in flight', async () => {
    let slowDone = false;
    const slow = timed(`${viewer.url}api/traces?filter=${encodeURIComponent(SLOWER_FILTER)}`).finally(() => (slowDone = true));
    await new Promise((r) => setTimeout(r, 200)); // the slow search is running in a worker now
    for (const path of ['api/experiments', `api/traces/${someTraceId}`, 'api/traces?max=5', "api/traces?filter=metadata.%60mlflow.trace.user%60%20%3D%20'u1'", 'api/sessions']) {
      const r = await timed(`${viewer.url}${path}`);
      expect(r.status, `${path}: ${r.body.slice(0, 200)}`).toBe(200);
      expect(r.ms, path).toBeLessThan(2_500);
    }
    expect(slowDone, 'the slow search should still be running (else this test proves nothing)').toBe(false);
    // Closing the viewer terminates the worker still searching: that request ends without an answer.
    slow.catch(() => {});
  });
});

describe('time budgets', () => {
  it("the search's own budget: 504 with the runtime's message, and the worker keeps serving", async () => {
    const source = await openSource({ store });
    const viewer = await startViewer({ source, port: 0, searchTimeoutMs: 10 });
    try {
      const r = await timed(`${viewer.url}api/traces?filter=${encodeURIComponent(SLOW_FILTER)}`);
      expect(r.status).toBe(504);
      expect(JSON.parse(r.body)).toEqual({ error_code: 'DEADLINE_EXCEEDED', message: expect.stringMatching(/exceeded its time budget of 10 ms after examining \d+ of 100 traces/) });
      expect((await timed(`${viewer.url}api/traces?max=3`)).status).toBe(200);
    } finally {
      await viewer.close();
      await source.close();
    }
  });

  it('the pool backstop: a worker still busy past killAfterMs is terminated, the search fails clearly, the next one runs', async () => {
    const pool = new SearchPool({ storeDir: store, size: 1, killAfterMs: 1_000 });
    try {
      // Started with a quick search, so the backstop below measures the slow one only.
      expect(JSON.parse(await pool.run({ route: 'traces', max: 1 })).traces).toHaveLength(1);
      const started = Date.now();
      const error = await pool.run({ route: 'traces', max: 10, filter: SLOWER_FILTER, timeoutMs: 600_000 }).then(
        () => undefined,
        (e: unknown) => e as Error & { errorCode?: string },
      );
      expect(error?.errorCode).toBe('DEADLINE_EXCEEDED');
      expect(error?.message).toMatch(/did not finish within 1\.0 s and was stopped/);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(JSON.parse(await pool.run({ route: 'traces', max: 2 })).traces).toHaveLength(2);
    } finally {
      await pool.close();
    }
  });
});
