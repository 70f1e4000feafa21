import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FilterSyntaxError, parseFilter } from '../search/index.js';
import { getTracingDiagnostics, resetTracingDiagnostics, setDiagnosticLogger } from '../core/diagnostics.js';
import { spanToJsonText } from '../model/json.js';
import { syntheticTrace } from './__tests__/fixtures.js';
import { LocalStoreDestination } from './local-destination.js';
import { LocalTraceStore, pageOf } from './local-store.js';
import { tracesDir } from './layout.js';
import { Postings } from './postings.js';
import { tempDir } from '../../../../test-support/temp-dir.js';

const open: Array<{ shutdown(): Promise<void> } | { close(): void }> = [];
afterEach(async () => {
  for (const x of open.splice(0)) 'shutdown' in x ? await x.shutdown() : x.close();
});

function tempRoot(): string {
  return join(tempDir('tw-store-'), 'mlruns');
}
function destination(root = tempRoot()): LocalStoreDestination {
  const d = new LocalStoreDestination(root);
  open.push(d);
  return d;
}
function reader(root: string): LocalTraceStore {
  const s = LocalTraceStore.open(root);
  open.push(s);
  return s;
}

describe('local store: writing while the program goes on', () => {
  it('encodes the next batch while one is written, and still rotates segments at their size: every trace readable', async () => {
    const root = tempRoot();
    const limit = 256 * 1024;
    const d = new LocalStoreDestination(root, { segmentBytes: limit });
    open.push(d);
    const ids: string[] = [];
    for (let i = 0; i < 3_000; i++) {
      const t = syntheticTrace(i);
      ids.push(t.info.traceId);
      d.export(t);
      // The program yields now and then: the pump writes asynchronously, batch after batch.
      if (i % 20 === 19) await new Promise((r) => setImmediate(r));
    }
    await d.flush();
    const dir = tracesDir(root);
    const sizes = fs.readdirSync(dir).filter((f) => f.endsWith('.seg')).map((f) => fs.statSync(join(dir, f)).size);
    expect(sizes.length).toBeGreaterThan(4);
    // The pump stops encoding into a full segment; under load the synchronous write at the
    // durability point may still add one batch (512 KB) to it before it rotates. Never more.
    expect(Math.max(...sizes)).toBeLessThan(limit + 512 * 1024 + 16 * 1024);
    const { traces } = await d.searchTraces({ maxResults: 5_000 });
    expect(new Set(traces.map((t) => t.info.traceId))).toEqual(new Set(ids));
  });

  it('traces of thousands of spans, room made for them before encoding, read back exactly (estimate short or long)', async () => {
    const root = tempRoot();
    const d = destination(root);
    const traces = [
      // Multi-byte text: three bytes a character, more than the estimate allows for.
      syntheticTrace(0, { spans: 1_500 }),
      // Quote-dense JSON: escaped again in the store, close to the estimate's allowance.
      syntheticTrace(1, { spans: 3_000 }),
      syntheticTrace(2, { spans: 300 }),
    ];
    traces[0]!.data.spans.forEach((s, i) => (s.encodedAttributes['mlflow.spanInputs'] = JSON.stringify({ text: `出力 ${i} `.repeat(40) })));
    traces[1]!.data.spans.forEach((s, i) => (s.encodedAttributes['mlflow.spanOutputs'] = JSON.stringify(Array.from({ length: 30 }, (_, k) => [`${i}.${k}`, 'Date']))));
    for (const t of traces) d.export(t);
    await d.flush();
    for (const t of traces) {
      const got = await d.getTrace(t.info.traceId);
      expect(got!.data.spans.map(spanToJsonText)).toEqual(t.data.spans.map(spanToJsonText));
    }
  });

  it('a starved loop: the one trace a long synchronous call ends is not encoded on its call path; traces that keep finishing are', async () => {
    const root = tempRoot();
    const d = destination(root);
    const onDisk = () => {
      const store = LocalTraceStore.open(root);
      try {
        return store.count();
      } finally {
        store.close();
      }
    };
    const block = (ms: number) => {
      for (const until = performance.now() + ms; performance.now() < until; );
    };
    d.export(syntheticTrace(0));
    // One long synchronous call (a batch job's root, a test suite run through microtasks only):
    // the loop has not turned since the first trace, which is overdue and written now; the
    // trace the call ends waits for the loop, like any trace.
    block(160);
    const big = syntheticTrace(1, { spans: 2_000 });
    const bigWaiting = () => (d as unknown as { queue: unknown[] }).queue.includes(big);
    d.export(big);
    expect(onDisk()).toBe(1);
    expect(bigWaiting()).toBe(true);
    // Another trace finishes and the loop still has not turned: the program keeps finishing
    // traces, so they are encoded as they finish and written at the durability point.
    block(60);
    d.export(syntheticTrace(2));
    expect(bigWaiting()).toBe(false);
    expect(onDisk()).toBe(3);
    await d.flush();
    expect(onDisk()).toBe(3);
  });
});

describe('local store: write, get, search', () => {
  it('round-trips a trace exactly (info, span ids, ns times, JSON-encoded attributes)', async () => {
    const d = destination();
    const t = syntheticTrace(1, { user: 'u1', session: 's1', tags: { env: 'prod' } });
    d.export(t);
    const got = await d.getTrace(t.info.traceId);
    expect(got).toBeDefined();
    expect(got!.info).toEqual(t.info);
    expect(got!.data.spans.map(spanToJsonText)).toEqual(t.data.spans.map(spanToJsonText));
    expect(await d.getTrace('tr-00000000000000000000000000000000')).toBeUndefined();
  });

  it('finds traces by user, session and tag with MLflow filter strings', async () => {
    const d = destination();
    const traces = Array.from({ length: 60 }, (_, i) =>
      syntheticTrace(i, { user: `user${i % 3}`, session: `s${i % 4}`, tags: { env: i % 2 ? 'prod' : 'dev' } }),
    );
    for (const t of traces) d.export(t);
    const ids = async (filterString: string) =>
      (await d.searchTraces({ filterString, maxResults: 1000 })).traces.map((t) => t.info.traceId).sort();
    const expected = (p: (i: number) => boolean) => traces.filter((_, i) => p(i)).map((t) => t.info.traceId).sort();
    expect(await ids("metadata.`mlflow.trace.user` = 'user1'")).toEqual(expected((i) => i % 3 === 1));
    expect(await ids("metadata.`mlflow.trace.session` = 's2' AND tags.env = 'dev'")).toEqual(expected((i) => i % 4 === 2 && i % 2 === 0));
    expect(await ids("metadata.`mlflow.trace.user` = 'user0' OR tags.env = 'prod'")).toEqual(expected((i) => i % 3 === 0 || i % 2 === 1));
    // Body-only metadata (kept out of the index) is still searchable.
    expect(await ids("metadata.`mlflow.traceInputs` LIKE '%question 7 step 0%'")).toEqual(expected((i) => i === 7));
    // Span-level filters read bodies.
    expect(await ids("span.name = 'step_3' AND metadata.`mlflow.trace.user` = 'user2'")).toEqual(expected((i) => i % 3 === 2));
    await expect(d.searchTraces({ filterString: 'metadata.k = 5' })).rejects.toBeInstanceOf(FilterSyntaxError);
  });

  it('answers IN / NOT IN on tags and metadata like the OR / AND form, IN through the posting lists', async () => {
    const d = destination();
    const traces = Array.from({ length: 40 }, (_, i) => syntheticTrace(i, { user: `user${i % 5}`, session: `s${i % 4}`, tags: { env: ['dev', 'prod', 'qa'][i % 3]! } }));
    for (const t of traces) d.export(t);
    await d.deleteTraces({ traceIds: [traces[1]!.info.traceId] }); // a dead posting entry must not come back
    const ids = async (filterString: string) => (await d.searchTraces({ filterString, maxResults: 1000 })).traces.map((t) => t.info.traceId).sort();
    const pairs: Array<[string, string]> = [
      ["metadata.`mlflow.trace.user` IN ('user1', 'user3')", "metadata.`mlflow.trace.user` = 'user1' OR metadata.`mlflow.trace.user` = 'user3'"],
      ["tags.env IN ('prod', 'qa', 'prod') AND metadata.`mlflow.trace.session` = 's1'", "(tags.env = 'prod' OR tags.env = 'qa') AND metadata.`mlflow.trace.session` = 's1'"],
      ["tags.env NOT IN ('prod', 'qa')", "tags.env != 'prod' AND tags.env != 'qa'"],
      ["metadata.`mlflow.trace.session` NOT IN ('s0') AND tags.env IN ('dev')", "metadata.`mlflow.trace.session` != 's0' AND tags.env = 'dev'"],
      ["tags.env IN ('none')", "tags.env = 'none'"],
    ];
    for (const [inForm, orForm] of pairs) expect(await ids(inForm), inForm).toEqual(await ids(orForm));
    expect(await ids("metadata.`mlflow.trace.user` IN ('user1', 'user3')")).toHaveLength(15); // 16 minus the deleted trace 1

    const postings = new Postings<{ info: { traceMetadata: Record<string, string>; tags: Record<string, string> } }>();
    const items = ['a', 'b', 'c', 'a'].map((env) => ({ info: { traceMetadata: {}, tags: { env } } }));
    for (const item of items) postings.add(item);
    const candidates = postings.candidates(parseFilter("tags.env IN ('a', 'c')"), () => true);
    expect(candidates).toEqual([items[0], items[3], items[2]]);
    expect(postings.candidates(parseFilter("tags.env NOT IN ('a')"), () => true)).toBeUndefined();
  });

  it('paginates newest first without gaps or duplicates, and refuses a token from another search', async () => {
    const d = destination();
    for (let i = 0; i < 250; i++) d.export(syntheticTrace(i, { user: i % 2 ? 'odd' : 'even' }));
    const seen: number[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const page = await d.searchTraces({ maxResults: 100, ...(pageToken ? { pageToken } : {}) });
      seen.push(...page.traces.map((t) => t.info.requestTime));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    const first = await d.searchTraces({ maxResults: 10, orderBy: ['timestamp_ms ASC'] });
    expect(first.traces[0]!.info.requestTime).toBe(Math.min(...seen));
    await expect(
      d.searchTraces({ maxResults: 10, filterString: "metadata.`mlflow.trace.user` = 'odd'", pageToken: first.nextPageToken! }),
    ).rejects.toThrow(/different search/);
  });

  it('includeSpans: false returns full infos (previews included) without spans', async () => {
    const d = destination();
    const t = syntheticTrace(3, { user: 'u' });
    d.export(t);
    const page = await d.searchTraces({ includeSpans: false });
    expect(page.traces).toHaveLength(1);
    expect(page.traces[0]!.data.spans).toEqual([]);
    expect(page.traces[0]!.info).toEqual(t.info);
  });

  it('reads live: a reader opened before the writes sees traces written after', async () => {
    const d = destination();
    d.export(syntheticTrace(0));
    await d.flush();
    const r = reader(d.root);
    expect(r.count()).toBe(1);
    for (let i = 1; i <= 30; i++) d.export(syntheticTrace(i, { user: 'late' }));
    await d.flush();
    const page = await r.searchTraces({ filterString: "metadata.`mlflow.trace.user` = 'late'", maxResults: 100 });
    expect(page.traces).toHaveLength(30);
    expect(r.count()).toBe(31);
  });

  it('keeps experiments apart and searches the requested ones', async () => {
    const d = destination();
    const r = d.store;
    const a = r.getOrCreateExperiment('exp-a');
    expect(r.getOrCreateExperiment('exp-a')).toBe(a);
    expect(r.getExperimentByName('Default')?.experimentId).toBe('0');
    expect(r.listExperiments().map((e) => e.name)).toEqual(['Default', 'exp-a']);
    d.export(syntheticTrace(1, { experimentId: a }));
    d.export(syntheticTrace(2));
    expect((await d.searchTraces({ experimentIds: [a] })).traces.map((t) => t.info.traceLocation.mlflowExperiment.experimentId)).toEqual([a]);
    expect((await d.searchTraces({})).traces).toHaveLength(2);
  });
});

describe('local store: deletion and retention', () => {
  it('deletes by id, age and count; other readers see the deletion', async () => {
    const d = destination();
    const traces = Array.from({ length: 20 }, (_, i) => syntheticTrace(i, { requestTime: 1_000_000 + i * 1000 }));
    for (const t of traces) d.export(t);
    await d.flush();
    const other = reader(d.root);
    expect(other.count()).toBe(20);

    expect(await d.deleteTraces({ traceIds: [traces[19]!.info.traceId, 'tr-unknown'] })).toBe(1);
    expect(await other.getTrace(traces[19]!.info.traceId)).toBeUndefined();
    // indexed lookups (posting lists) skip deleted traces too: handle_5 = traces 5, 12, 19
    const byName = await other.searchTraces({ filterString: "trace.name = 'handle_5'" });
    expect(byName.traces.map((t) => t.info.traceId).sort()).toEqual([traces[5]!, traces[12]!].map((t) => t.info.traceId).sort());

    // age: strictly before the instant
    expect(await d.deleteTraces({ maxTimestampMillis: 1_000_000 + 5 * 1000 })).toBe(5);
    // count: keep the 10 newest of what is left (traces 5..18)
    expect(await d.deleteTraces({ maxTraces: 10 })).toBe(4);
    const left = (await other.searchTraces({ maxResults: 100 })).traces.map((t) => t.info.requestTime);
    expect(left).toEqual(Array.from({ length: 10 }, (_, k) => 1_000_000 + (18 - k) * 1000));
    await expect(d.deleteTraces({})).rejects.toThrow(/at least one of/);
  });

  it('applies a retention policy and reclaims the files of finished writers', async () => {
    const root = tempRoot();
    const d = new LocalStoreDestination(root);
    const old = Date.now() - 3_600_000;
    for (let i = 0; i < 10; i++) d.export(syntheticTrace(i, { requestTime: old + i }));
    await d.shutdown(); // seals its files
    const d2 = destination(root);
    for (let i = 0; i < 5; i++) d2.export(syntheticTrace(i, { requestTime: Date.now() - i }));
    await d2.flush();
    const files = () => fs.readdirSync(tracesDir(root)).filter((f) => f.endsWith('.seg')).length;
    expect(files()).toBe(2);
    const store = reader(root);
    expect(await store.applyRetention({ maxAgeMs: 60_000 })).toBe(10);
    expect(files()).toBe(1); // the sealed, fully deleted pair is gone
    expect(store.count()).toBe(5);
    expect(await store.applyRetention({ maxTraces: 2 })).toBe(3);
    expect(files()).toBe(1); // the live writer's files are never removed under it
    expect(store.count()).toBe(2);
  });
});

describe('local store: failures', () => {
  it('counts a store that cannot be written, never throws, and keeps working when it can', async () => {
    resetTracingDiagnostics();
    setDiagnosticLogger(null);
    const base = tempDir('tw-store-');
    fs.writeFileSync(join(base, 'file'), 'x');
    const d = destination(join(base, 'file', 'mlruns')); // a path under a regular file: ENOTDIR
    expect(() => d.export(syntheticTrace(1))).not.toThrow();
    expect(() => d.export(syntheticTrace(2))).not.toThrow();
    await d.flush(); // one more attempt, then resolves: never waits for the disk to heal
    expect(d.writePaused).toBe(true);
    // One outage, reported once; the traces wait for a retry (nothing dropped yet)...
    expect(getTracingDiagnostics().errors[`write ${d.description}`]).toBe(1);
    expect(getTracingDiagnostics().dropped[d.description]).toBeUndefined();
    // ...and are counted as dropped when the destination gives up (shutdown or process exit).
    await d.shutdown();
    expect(getTracingDiagnostics().dropped[d.description]).toBe(2);
    setDiagnosticLogger((m) => console.warn(m));
  });

  it('LocalTraceStore.open refuses a missing directory with a clear error', () => {
    expect(() => LocalTraceStore.open('/nonexistent/tw-store')).toThrow(/no trace store directory at/);
  });
});

describe('pageOf', () => {
  it('selects the same page as a full sort, ties kept in input order', () => {
    const items = Array.from({ length: 5000 }, (_, i) => ({ k: (i * 7919) % 1000, i }));
    const cmp = (a: { k: number }, b: { k: number }) => a.k - b.k;
    for (const [offset, size] of [[0, 100], [100, 100], [900, 50], [0, 5000]] as const) {
      expect(pageOf([...items], offset, size, cmp)).toEqual([...items].sort(cmp).slice(offset, offset + size));
    }
  });
});
