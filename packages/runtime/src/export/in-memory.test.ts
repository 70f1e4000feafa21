import { beforeEach, describe, expect, it } from 'vitest';
import { InMemoryDestination, setDestination, trace, updateCurrentTrace, type Trace } from '../index.js';
import { runtimeState } from '../core/state.js';

let dest: InMemoryDestination;

/** Six runtime-made traces, the last two in experiment "7". */
beforeEach(async () => {
  dest = new InMemoryDestination();
  setDestination(dest);
  const step = trace(async function step(i: number) {
    updateCurrentTrace({ clientRequestId: `req-${i}` });
    await new Promise((resolve) => setTimeout(resolve, 2));
    return i;
  });
  const original = runtimeState().experimentId;
  try {
    for (let i = 0; i < 6; i++) {
      runtimeState().experimentId = i < 4 ? original : '7';
      await step(i);
    }
  } finally {
    runtimeState().experimentId = original;
    setDestination(undefined);
  }
});

const ids = (traces: readonly Trace[]) => traces.map((t) => t.info.clientRequestId).sort();

describe('InMemoryDestination as a TraceReader', () => {
  it('deletes by trace id, within the experiment when one is given', async () => {
    const [t0, , , , t4] = dest.traces;
    expect(await dest.deleteTraces({ traceIds: [t0!.info.traceId, t4!.info.traceId], experimentId: '7' })).toBe(1);
    expect(ids(dest.traces)).toEqual(['req-0', 'req-1', 'req-2', 'req-3', 'req-5']);
    expect(await dest.deleteTraces({ traceIds: [t0!.info.traceId, 'tr-unknown'] })).toBe(1);
    expect(await dest.getTrace(t0!.info.traceId)).toBeUndefined();
  });

  it('deletes traces started at or before maxTimestampMillis', async () => {
    const cutoff = dest.traces[2]!.info.requestTime;
    const expected = dest.traces.filter((t) => t.info.requestTime > cutoff);
    expect(await dest.deleteTraces({ maxTimestampMillis: cutoff })).toBe(6 - expected.length);
    expect(ids(dest.traces)).toEqual(ids(expected));
    expect(ids(dest.traces)).not.toContain('req-2');
  });

  it('keeps only the maxTraces newest', async () => {
    expect(await dest.deleteTraces({ maxTraces: 2 })).toBe(4);
    expect(ids(dest.traces)).toEqual(['req-4', 'req-5']);
    expect(await dest.deleteTraces({ maxTraces: 1, experimentId: '0-nothing' })).toBe(0);
  });

  it('rejects a delete without criteria', async () => {
    await expect(dest.deleteTraces({})).rejects.toThrow(/traceIds, maxTimestampMillis or maxTraces/);
    await expect(dest.deleteTraces({ maxTraces: -1 })).rejects.toThrow(/non-negative integer/);
  });
});
