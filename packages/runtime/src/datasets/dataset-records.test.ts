import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryDestination, setDestination, trace } from '../index.js';
import { datasetRecordOf, datasetRecords } from './dataset-records.js';

afterEach(() => setDestination(undefined));

async function recorded(): Promise<InMemoryDestination> {
  const memory = new InMemoryDestination();
  setDestination(memory);
  const answer = trace(async (question: string, k: number) => `answer to ${question} (${k})`, { name: 'answer', spanType: 'AGENT' });
  const echo = trace((text: string) => text, { name: 'echo' });
  await answer('capital of France?', 2);
  echo('hello');
  const [first, second] = memory.traces;
  const a = (name: string, kind: 'feedback' | 'expectation', value: unknown, extra: object = {}) => ({
    assessment_id: `a-${name}`,
    assessment_name: name,
    trace_id: first!.info.traceId,
    source: { source_type: 'HUMAN', source_id: 'x' },
    create_time: '2026-12-04T00:00:00Z',
    last_update_time: '2026-12-04T00:00:00Z',
    [kind]: { value },
    ...extra,
  });
  first!.info.assessments = [
    a('expected_response', 'expectation', 'Paris'),
    a('expected_facts', 'expectation', ['Paris is the capital']),
    a('thumbs', 'feedback', false, { valid: false }),
    a('thumbs', 'feedback', true),
    a('judge', 'feedback', undefined, { feedback: { error: { error_message: 'timeout' } } }),
  ];
  expect(second).toBeDefined();
  return memory;
}

describe('dataset records from traces (MLflow DatasetRecord shape)', () => {
  it('inputs from the root span, expectations by name, valid feedback in tags, the source trace', async () => {
    const memory = await recorded();
    const [first, second] = memory.traces;
    expect(datasetRecordOf(first!)).toEqual({
      inputs: { question: 'capital of France?', k: 2 },
      expectations: { expected_response: 'Paris', expected_facts: ['Paris is the capital'] },
      tags: { 'feedback.thumbs': 'true' },
      source: { source_type: 'TRACE', source_data: { trace_id: first!.info.traceId } },
      source_id: first!.info.traceId,
      source_type: 'TRACE',
    });
    expect(datasetRecordOf(first!, { includeOutputs: true }).outputs).toBe('answer to capital of France? (2)');
    expect(datasetRecordOf(second!)).toMatchObject({ inputs: { text: 'hello' }, expectations: {}, tags: {} });
  });

  it('datasetRecords pages through a filtered search, oldest first', async () => {
    const memory = await recorded();
    const all = [];
    for await (const r of datasetRecords(memory, { filterString: "expectation.expected_response = 'Paris'" })) all.push(r);
    expect(all.map((r) => r.source_id)).toEqual([memory.traces[0]!.info.traceId]);
    expect(() => datasetRecordOf(null as never)).toThrow(/expected a trace/);
  });
});
