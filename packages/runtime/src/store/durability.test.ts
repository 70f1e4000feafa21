/**
 * Durability with real processes: SIGKILL mid-write, two concurrent writers, flush at exit.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setDiagnosticLogger } from '../core/diagnostics.js';
import { runTs, syntheticTrace } from './__tests__/fixtures.js';
import { encodeFrame, FrameBatch, scanFrames } from './frame.js';
import { tracesDir } from './layout.js';
import { LocalTraceStore } from './local-store.js';
import { SegmentWriter } from './segment-writer.js';
import { tempDir } from '../../../../test-support/temp-dir.js';

const child = new URL('./__tests__/writer-child.ts', import.meta.url);
const tempRoot = () => join(tempDir('tw-dur-'), 'mlruns');

async function readAll(store: LocalTraceStore) {
  const traces = [];
  let pageToken: string | undefined;
  do {
    const page = await store.searchTraces({ maxResults: 1000, ...(pageToken ? { pageToken } : {}) });
    traces.push(...page.traces);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return traces;
}

describe('frames', () => {
  it('FrameBatch writes the same frames as encodeFrame, growing past its initial size (multi-byte text)', () => {
    const batch = new FrameBatch(16);
    const texts = ['{"a":1}', 'é€😀'.repeat(50), 'x'.repeat(3000)];
    const lengths = texts.map((t) => batch.appendText(t));
    const out = batch.take();
    expect(out).toEqual(Buffer.concat(texts.map((t) => encodeFrame(Buffer.from(t)))));
    expect(lengths).toEqual(texts.map((t) => encodeFrame(Buffer.from(t)).length));
    expect(batch.length).toBe(0);
    expect(scanFrames(out).frames.map((f) => f.payload.toString())).toEqual(texts);
  });

  it('a buffer given back after its write is filled again; one grown by a large trace is not kept', () => {
    // Past Node's pool size: each buffer has its own memory, so identity means reuse.
    const batch = new FrameBatch(16 * 1024);
    const frames = (buf: Buffer) => scanFrames(buf).frames.map((f) => f.payload.toString());
    batch.appendText('{"a":1}');
    const first = batch.take();
    batch.reuse(first); // written: the batch after the one in progress goes into it
    batch.appendText('{"b":2}');
    const second = batch.take();
    batch.appendText('{"c":3}');
    const third = batch.take();
    expect(third.buffer).toBe(first.buffer);
    expect([frames(second), frames(third)]).toEqual([['{"b":2}'], ['{"c":3}']]);
    batch.reuse(second);
    batch.appendText('x'.repeat(40_000)); // outgrows the initial size
    const grown = batch.take();
    batch.reuse(grown);
    batch.appendText('{"d":4}');
    expect(batch.take().buffer).toBe(second.buffer);
    batch.appendText('{"e":5}');
    const fresh = batch.take();
    expect(fresh.buffer).not.toBe(grown.buffer);
    expect(fresh.buffer.byteLength).toBe(16 * 1024);
  });

  it('asynchronous batches reuse their buffers, synchronous writes in between: every trace reads back intact', async () => {
    const root = tempRoot();
    const writer = new SegmentWriter(root);
    writer.ensureOpen();
    const written = new Map<string, number>();
    let n = 0;
    const addSome = (count: number) => {
      for (let i = 0; i < count; i++, n++) {
        const trace = syntheticTrace(n, { spans: 4 });
        written.set(trace.info.traceId, n);
        writer.add(trace, 0);
      }
    };
    for (let round = 0; round < 30; round++) {
      addSome(40);
      const inFlight = writer.write();
      // The durability point: a synchronous write while the asynchronous one is in flight.
      if (round % 3 === 1) {
        addSome(40);
        writer.writeSync();
        addSome(40); // fills whatever buffer the next batch got while the first write is still in flight
      }
      await inFlight;
    }
    await writer.write();
    const traces = await readAll(LocalTraceStore.open(root));
    expect(traces).toHaveLength(written.size);
    for (const trace of traces) {
      const i = written.get(trace.info.traceId)!;
      expect(trace.data.spans.map((s) => s.encodedAttributes['mlflow.spanInputs'])).toEqual(
        [0, 1, 2, 3].map((s) => JSON.stringify({ question: `question ${i} step ${s}`, k: s })),
      );
    }
  });

  it('leaves an incomplete tail unconsumed and resynchronises after damage in the middle', () => {
    const a = encodeFrame(Buffer.from('{"a":1}'));
    const b = encodeFrame(Buffer.from('{"b":2}'));
    const torn = b.subarray(0, b.length - 3);
    const scanTail = scanFrames(Buffer.concat([a, torn]));
    expect(scanTail.frames.map((f) => f.payload.toString())).toEqual(['{"a":1}']);
    expect(scanTail.consumed).toBe(a.length);
    const damaged = Buffer.from(b);
    damaged[damaged.length - 1] ^= 0xff; // checksum mismatch
    const scanMid = scanFrames(Buffer.concat([a, damaged, b]));
    expect(scanMid.frames.map((f) => f.payload.toString())).toEqual(['{"a":1}', '{"b":2}']);
    expect(scanMid.damage).toEqual([{ offset: a.length, bytes: b.length }]);
    // zero-filled hole (a write that never landed) is damage, not an empty record
    const hole = scanFrames(Buffer.concat([a, Buffer.alloc(40), b]));
    expect(hole.frames).toHaveLength(2);
  });
});

describe('durability with real processes', () => {
  it('a writer killed with SIGKILL mid-write loses nothing it flushed; a torn tail is skipped and reported', async () => {
    setDiagnosticLogger(null);
    const root = tempRoot();
    let flushed = 0;
    const result = await runTs(child, [root, 'forever', 'k'], {
      onLine: (line, kill) => {
        const m = /^flushed (\d+)$/.exec(line);
        if (m) flushed = Number(m[1]);
        if (flushed >= 3000) kill();
      },
    });
    expect(result.signal).toBe('SIGKILL');
    expect(flushed).toBeGreaterThanOrEqual(3000);

    // Simulate the worst tear the kill could leave: half a record at the end of the index.
    const idx = fs.readdirSync(tracesDir(root)).find((f) => f.endsWith('.idx'))!;
    const half = encodeFrame(Buffer.from(JSON.stringify({ i: 'tr-torn', pad: 'x'.repeat(200) })));
    fs.appendFileSync(join(tracesDir(root), idx), half.subarray(0, 100));

    const store = LocalTraceStore.open(root);
    const traces = await readAll(store);
    expect(traces.length).toBeGreaterThanOrEqual(flushed);
    // Every trace is complete and intact (bodies verified by checksum and parsed).
    for (const t of traces) expect(t.data.spans).toHaveLength(10);
    expect(store.problems().some((p) => p.kind === 'torn-tail' && p.file.endsWith(idx))).toBe(true);
    store.close();
  });

  it('a reader follows another process while it writes (live), without mistaking its in-progress tail for damage', async () => {
    const root = tempRoot();
    let store: LocalTraceStore | undefined;
    const counts: number[] = [];
    await runTs(child, [root, 'forever', 'live'], {
      onLine: (line, kill) => {
        const flushed = Number(/^flushed (\d+)$/.exec(line)?.[1] ?? 0);
        if (flushed < 1000 || counts.length >= 4) return;
        store ??= LocalTraceStore.open(root);
        const n = store.count();
        expect(n).toBeGreaterThanOrEqual(flushed);
        counts.push(n);
        if (counts.length === 4) kill();
      },
    });
    expect(counts).toHaveLength(4);
    expect(counts[3]).toBeGreaterThan(counts[0]!);
    expect(store!.problems()).toEqual([]);
    store!.close();
  });

  it('two processes writing the same store at once lose nothing (2 × 2,000 traces)', async () => {
    const root = tempRoot();
    const [a, b] = await Promise.all([runTs(child, [root, '2000', 'A']), runTs(child, [root, '2000', 'B'])]);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
    const store = LocalTraceStore.open(root);
    const traces = await readAll(store);
    expect(traces).toHaveLength(4000);
    expect(new Set(traces.map((t) => t.info.traceId)).size).toBe(4000);
    const byWriter = (w: string) => store.searchTraces({ filterString: `tags.writer = '${w}'`, maxResults: 5000, includeSpans: false });
    expect((await byWriter('A')).traces).toHaveLength(2000);
    expect((await byWriter('B')).traces).toHaveLength(2000);
    expect(store.problems()).toEqual([]);
    store.close();
  });

  it('processes creating the same experiment at once agree on one id', async () => {
    const root = tempRoot();
    const script = new URL('./__tests__/experiment-child.ts', import.meta.url);
    const results = await Promise.all(Array.from({ length: 4 }, () => runTs(script, [root, 'shared'])));
    const ids = results.map((r) => r.stdout);
    expect(new Set(ids).size).toBe(1);
    const store = LocalTraceStore.open(root);
    expect(store.listExperiments().filter((e) => e.name === 'shared').map((e) => e.experimentId)).toEqual([ids[0]]);
  });

  it('process.exit() right after tracing still writes every trace (synchronous exit flush)', async () => {
    const root = tempRoot();
    const result = await runTs(child, [root, '1500', 'E', 'exit']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    const store = LocalTraceStore.open(root);
    expect(store.count()).toBe(1500);
    expect(store.problems()).toEqual([]);
    store.close();
  });
});
