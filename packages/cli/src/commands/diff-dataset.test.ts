/**
 * `tracewright traces diff` and `traces export --dataset`, the real CLI process on a store
 * written in this process by the tracer, with feedback and expectations logged through the
 * runtime's assessment API.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushTraces, getLastActiveTraceId, logExpectation, logFeedback, setDestination, setTrackingUri, trace } from '@tracewright/runtime';
import { runCli } from '../__tests__/cli-process.js';

let work: string;
let store: string;
const ids: string[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tw-cli-diff-'));
  store = join(work, 'mlruns');
  setTrackingUri(store);
  for (const source of ['met', 'yr']) {
    const weather = trace((city: string) => ({ city, forecast: '4°C', source: city === 'Oslo' ? source : 'met' }), { name: 'get_weather', spanType: 'TOOL' });
    const agent = trace(
      async (question: string) => {
        const a = weather('Paris');
        const b = weather('Oslo');
        return `${a.forecast} / ${b.forecast}`;
      },
      { name: 'agent', spanType: 'AGENT' },
    );
    await agent('weather?');
    await flushTraces();
    ids.push(getLastActiveTraceId()!);
  }
  await logExpectation({ traceId: ids[0]!, name: 'expected_response', value: '4°C / 4°C' });
  await logFeedback({ traceId: ids[0]!, name: 'thumbs', value: true, source: { sourceType: 'HUMAN', sourceId: 'alice' } });
  await flushTraces();
  setDestination(undefined);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('tracewright traces diff', () => {
  it('prints the changed tool result under the span it belongs to', async () => {
    const r = await runCli(['traces', 'diff', ids[0]!, ids[1]!, '--store', store]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1 changed, 0 added, 0 removed, 2 same/m);
    expect(r.stdout).toMatch(/^~ {3}get_weather\[1\]/m);
    expect(r.stdout).toContain('outputs.source: met → yr');
  });

  it('--json is the runtime diffTraces result; a missing trace exits 3', async () => {
    const r = await runCli(['traces', 'diff', ids[0]!, ids[1]!, '--store', store, '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.summary).toEqual({ same: 2, changed: 1, added: 0, removed: 0 });
    expect(d.spans.filter((s: any) => s.status === 'changed').map((s: any) => [s.path, s.changes])).toEqual([
      ['agent/get_weather[1]', [{ field: 'outputs', path: '$.source', before: 'met', after: 'yr' }]],
    ]);
    const missing = await runCli(['traces', 'diff', ids[0]!, 'tr-00000000000000000000000000000001', '--store', store]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/trace tr-00000000000000000000000000000001 not found/);
  });
});

describe('tracewright traces export --dataset', () => {
  it('writes MLflow dataset records for the traces matching the filter', async () => {
    const out = join(work, 'dataset.jsonl');
    const r = await runCli(['traces', 'export', '--dataset', '--outputs', '--out', out, '--filter', 'expectation.expected_response IS NOT NULL', '--store', store]);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        inputs: { question: 'weather?' },
        outputs: '4°C / 4°C',
        expectations: { expected_response: '4°C / 4°C' },
        tags: { 'feedback.thumbs': 'true' },
        source: { source_type: 'TRACE', source_data: { trace_id: ids[0] } },
        source_id: ids[0],
        source_type: 'TRACE',
      },
    ]);
    const bad = await runCli(['traces', 'export', '--outputs', '--out', out, '--store', store]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--outputs only applies with --dataset/);
  });
});
