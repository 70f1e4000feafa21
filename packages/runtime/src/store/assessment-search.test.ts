/**
 * Assessments carried by stored traces (imported MLflow traces, logged feedback) must be
 * searchable in the embedded store exactly as in memory: `feedback.*` / `expectation.*`
 * filters, `IS NULL`, overridden (invalid) assessments ignored, and session-level
 * assessments (metadata `mlflow.trace.session`) applying to every trace of their session.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InMemoryDestination } from '../export/in-memory.js';
import type { Trace } from '../model/trace.js';
import { syntheticTrace } from './__tests__/fixtures.js';
import { LocalStoreDestination } from './local-destination.js';
import { LocalTraceStore } from './local-store.js';
import { tempDir } from '../../../../test-support/temp-dir.js';

function assessment(traceId: string, name: string, kind: 'feedback' | 'expectation', value: unknown, extra: Record<string, unknown> = {}) {
  return {
    assessment_id: `a-${name}-${traceId.slice(3, 11)}-${String(extra['valid'] ?? 'v')}`,
    assessment_name: name,
    trace_id: traceId,
    source: { source_type: 'HUMAN', source_id: 'reviewer@example.com' },
    create_time: '2026-12-04T10:00:00.000Z',
    last_update_time: '2026-12-04T10:00:00.000Z',
    [kind]: { value },
    ...extra,
  };
}

/** 0: thumbs up; 1: thumbs down + expected answer; 2: nothing; 3: overridden "bad" now "good"; 4/5: session s1 with a session-level rating on 4. */
function corpus(): Trace[] {
  const ts = Array.from({ length: 6 }, (_, i) => syntheticTrace(i, i >= 4 ? { session: 's1' } : i === 2 ? { session: 's2' } : {}));
  const id = (i: number) => ts[i]!.info.traceId;
  ts[0]!.info.assessments = [assessment(id(0), 'thumbs', 'feedback', true)];
  ts[1]!.info.assessments = [assessment(id(1), 'thumbs', 'feedback', false), assessment(id(1), 'answer', 'expectation', 'Paris')];
  ts[3]!.info.assessments = [
    assessment(id(3), 'quality', 'feedback', 'bad', { valid: false }),
    assessment(id(3), 'quality', 'feedback', 'good', { overrides: `a-quality-${id(3).slice(3, 11)}-false` }),
  ];
  ts[4]!.info.assessments = [assessment(id(4), 'coherent', 'feedback', 5, { metadata: { 'mlflow.trace.session': 's1' } })];
  return ts;
}

const FILTERS: Array<[string, number[]]> = [
  ["feedback.thumbs = 'true'", [0]],
  ['feedback.thumbs = "false"', [1]],
  ["feedback.thumbs != 'true'", [1]],
  ['feedback.thumbs IS NULL', [2, 3, 4, 5]],
  ['feedback.thumbs IS NOT NULL', [0, 1]],
  ["expectation.answer = 'Paris'", [1]],
  ["expectation.answer LIKE 'Par%'", [1]],
  ["expectation.answer ILIKE 'paris'", [1]],
  ["expectation.answer RLIKE '^P.r'", [1]],
  ["feedback.quality = 'bad'", []],
  ["feedback.quality = 'good'", [3]],
  // session-level: propagated to trace 5 of the same session, not to the other sessions
  ["feedback.coherent = '5'", [4, 5]],
  ['feedback.coherent IS NOT NULL', [4, 5]],
  ['feedback.coherent IS NULL', [0, 1, 2, 3]],
  ["feedback.thumbs = 'true' OR feedback.coherent = '5'", [0, 4, 5]],
  ["feedback.`thumbs` = 'false' AND expectation.answer = 'Paris'", [1]],
];

const roots: string[] = [];
const open: Array<{ shutdown(): Promise<void> } | { close(): void }> = [];
afterAll(async () => {
  for (const x of open) 'shutdown' in x ? await x.shutdown() : x.close();
});

describe('assessment filters: embedded store gives the in-memory (MLflow) answers', () => {
  const traces = corpus();
  const memory = new InMemoryDestination();
  for (const t of traces) memory.export(t);
  const root = join(tempDir('tw-assess-'), 'mlruns');
  roots.push(root);
  const local = new LocalStoreDestination(root);
  open.push(local);
  for (const t of traces) local.export(t);

  const idsOf = (page: { traces: { info: { traceId: string } }[] }) => page.traces.map((t) => t.info.traceId).sort();
  const expected = (ix: number[]) => ix.map((i) => traces[i]!.info.traceId).sort();

  for (const [filterString, want] of FILTERS) {
    it(filterString, async () => {
      const fromMemory = idsOf(await memory.searchTraces({ filterString, maxResults: 100 }));
      expect(fromMemory).toEqual(expected(want));
      await local.flush();
      expect(idsOf(await local.searchTraces({ filterString, maxResults: 100 }))).toEqual(expected(want));
      // a second process reading the same directory
      const reader = LocalTraceStore.open(root);
      open.push(reader);
      expect(idsOf(await reader.searchTraces({ filterString, maxResults: 100, includeSpans: false }))).toEqual(expected(want));
    });
  }

  it('an empty assessment name is refused with MLflow\'s message, by both', async () => {
    for (const reader of [memory, local]) {
      await expect(reader.searchTraces({ filterString: "feedback.`` = 'x'" })).rejects.toThrow(/Assessment field name cannot be empty/);
    }
  });

  it('getTrace returns the stored assessments in MLflow JSON', async () => {
    await local.flush();
    const got = await local.getTrace(traces[1]!.info.traceId);
    expect(JSON.parse(JSON.stringify(got)).info.assessments).toEqual(traces[1]!.info.assessments);
  });
});

describe('assessments from several processes at once', () => {
  it('two processes logging feedback on the same trace lose nothing (2 × 150 + overrides)', async () => {
    const { runTs } = await import('./__tests__/fixtures.js');
    const root = join(tempDir('tw-assess-mp-'), 'mlruns');
    const writer = new LocalStoreDestination(root);
    const t = syntheticTrace(0);
    writer.export(t);
    await writer.shutdown();
    const child = new URL('./__tests__/feedback-child.ts', import.meta.url);
    const results = await Promise.all(['A', 'B'].map((label) => runTs(child, [root, t.info.traceId, '150', label])));
    expect(results.map((r) => [r.code, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
    ]);
    const store = LocalTraceStore.open(root);
    open.push(store);
    const list = (await store.getTrace(t.info.traceId))!.info.assessments as Array<{ assessment_name: string; valid: boolean; feedback: { value: unknown } }>;
    expect(list).toHaveLength(302);
    for (const label of ['A', 'B']) {
      for (let i = 0; i < 149; i++) expect(list.filter((a) => a.assessment_name === `${label}_${i}` && a.feedback.value === i && a.valid)).toHaveLength(1);
      const last = list.filter((a) => a.assessment_name === `${label}_149`);
      expect(last.map((a) => [a.feedback.value, a.valid]).sort()).toEqual([
        [149, false],
        ['overridden', true],
      ]);
    }
    const found = await store.searchTraces({ filterString: "feedback.B_149 = 'overridden' AND feedback.A_0 = '0'" });
    expect(found.traces.map((x) => x.info.traceId)).toEqual([t.info.traceId]);
    expect(store.problems()).toEqual([]);
  });
});
