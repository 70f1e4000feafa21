/**
 * The local store gathers traces that finish one per event-loop turn into batches (a write per
 * trace cost more CPU than the bytes), without holding any past a flush.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { syntheticTrace } from './__tests__/fixtures.js';
import { GATHER_MS, LocalStoreDestination } from './local-destination.js';
import { SegmentWriter } from './segment-writer.js';
import { tempDir } from '../../../../test-support/temp-dir.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
afterEach(() => vi.restoreAllMocks());

describe('local store batching', () => {
  it('traces finished one per turn are written a batch at a time, and all are there after flush', async () => {
    const d = new LocalStoreDestination(join(tempDir('tw-batch-'), 'mlruns'));
    d.export(syntheticTrace(99)); // files opened, code warm
    await d.flush();
    const writes = vi.spyOn(SegmentWriter.prototype, 'write');
    const traces = Array.from({ length: 40 }, (_, i) => syntheticTrace(i, { spans: 3 }));
    const t0 = performance.now();
    for (const t of traces) {
      d.export(t);
      await turn();
    }
    const elapsed = performance.now() - t0;
    await d.flush();
    // At most a write per gathering period, and the flush's. Without gathering: a write each
    // time the last one landed (6–13 for these 40 turns on the machine this was written on).
    expect(writes.mock.calls.length).toBeLessThanOrEqual(Math.floor(elapsed / GATHER_MS) + 2);
    const { traces: stored } = await d.searchTraces({ maxResults: 100, includeSpans: false });
    expect(stored.map((t) => t.info.traceId)).toEqual(expect.arrayContaining(traces.map((t) => t.info.traceId)));
    expect(stored).toHaveLength(41);
    await d.shutdown();
  });

  it('a lone trace waits for company (not written the next turns), until a flush writes it at once', async () => {
    const d = new LocalStoreDestination(join(tempDir('tw-batch-'), 'mlruns'));
    d.export(syntheticTrace(99));
    await d.flush();
    const writes = vi.spyOn(SegmentWriter.prototype, 'write');
    const t = syntheticTrace(1);
    const t0 = performance.now();
    d.export(t);
    for (let i = 0; i < 3; i++) await turn(); // the pump encoded it and is waiting
    // Three turns take well under a millisecond; a machine too slow for that proves nothing here.
    if (performance.now() - t0 < GATHER_MS) expect(writes).not.toHaveBeenCalled();
    expect(d.hasPending()).toBe(true);
    await d.flush();
    expect(writes).toHaveBeenCalledTimes(1);
    expect(d.hasPending()).toBe(false);
    expect((await d.getTrace(t.info.traceId))?.info.traceId).toBe(t.info.traceId);
    await d.shutdown();
  });
});
