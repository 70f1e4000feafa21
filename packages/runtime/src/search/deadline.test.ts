import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryDestination } from '../export/in-memory.js';
import type { Trace } from '../model/trace.js';
import { syntheticTrace } from '../store/__tests__/fixtures.js';
import { LocalStoreDestination } from '../store/local-destination.js';
import { LocalTraceStore } from '../store/local-store.js';
import { DEFAULT_SEARCH_TIMEOUT_MS, FilterSyntaxError, SearchTimeoutError } from './index.js';

const N = 3_000;
// Reads every span body (local store) and runs a general LIKE over every span: far more than 1 ms for 3,000 traces.
const SLOW_FILTER = "trace.text LIKE '%no such_thing%anywhere%'";
let traces: Trace[];
let root: string;

beforeAll(async () => {
  traces = Array.from({ length: N }, (_, i) => syntheticTrace(i, { user: `u${i % 3}` }));
  root = join(mkdtempSync(join(tmpdir(), 'tw-deadline-')), 'mlruns');
  const writer = new LocalStoreDestination(root);
  for (const t of traces) writer.export(t);
  await writer.flush();
  await writer.shutdown();
});
afterAll(() => rmSync(join(root, '..'), { recursive: true, force: true }));

type Reader = { searchTraces: LocalTraceStore['searchTraces']; close(): void };
const READERS: Record<string, () => Reader> = {
  'in-memory': () => {
    const memory = new InMemoryDestination();
    for (const t of traces) memory.export(t);
    return { searchTraces: (o) => memory.searchTraces(o), close: () => {} };
  },
  'local store': () => LocalTraceStore.open(root),
};

describe('search time budget (timeoutMs)', () => {
  it('defaults to 10 s', () => {
    expect(DEFAULT_SEARCH_TIMEOUT_MS).toBe(10_000);
  });

  it.each(Object.keys(READERS))('%s: a scan past its budget stops with SearchTimeoutError, and the same search without one completes', async (name) => {
    const reader = READERS[name]!();
    try {
      const started = performance.now();
      const error = await reader.searchTraces({ filterString: SLOW_FILTER, timeoutMs: 1 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(error).toBeInstanceOf(SearchTimeoutError);
      const e = error as SearchTimeoutError;
      expect(e.errorCode).toBe('DEADLINE_EXCEEDED');
      expect(e.timeoutMs).toBe(1);
      expect(e.scanned).toBeLessThan(N);
      expect(e.total).toBe(N);
      expect(e.message).toMatch(/exceeded its time budget of 1 ms after examining \d+ of 3000 traces.*timeoutMs/);
      // Same search, default budget: completes (nothing matches).
      expect((await reader.searchTraces({ filterString: SLOW_FILTER })).traces).toEqual([]);
      // An indexed lookup examines only its posting list (the local store) or is cheap per trace: well within 1 s.
      expect((await reader.searchTraces({ filterString: "metadata.`mlflow.trace.user` = 'u1'", maxResults: 5, timeoutMs: 1_000 })).traces).toHaveLength(5);
    } finally {
      reader.close();
    }
  });

  it.each(Object.keys(READERS))('%s: timeoutMs must be a positive number (Infinity: no budget)', async (name) => {
    const reader = READERS[name]!();
    try {
      for (const bad of [0, -1, NaN, '10' as unknown as number]) {
        await expect(reader.searchTraces({ timeoutMs: bad })).rejects.toThrow(FilterSyntaxError);
        await expect(reader.searchTraces({ timeoutMs: bad })).rejects.toThrow(/'timeoutMs': it must be a positive number of milliseconds/);
      }
      expect((await reader.searchTraces({ filterString: SLOW_FILTER, timeoutMs: Infinity })).traces).toEqual([]);
    } finally {
      reader.close();
    }
  });
});
