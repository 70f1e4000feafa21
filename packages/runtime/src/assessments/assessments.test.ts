/**
 * The assessment API against both readable destinations — the embedded store and an MLflow
 * server (the fake one, strict about the assessment endpoints' bodies) — with the same
 * expectations: MLflow's JSON on getTrace(), search by feedback/expectation, overrides kept as
 * history, session-level feedback propagated, clear errors for bad input.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteAssessment,
  flushTraces,
  getLastActiveTraceId,
  getAssessment,
  getTrace,
  logExpectation,
  logFeedback,
  overrideFeedback,
  searchTraces,
  setDestination,
  setTrackingUri,
  trace,
  updateAssessment,
  updateCurrentTrace,
  AssessmentInputError,
  InMemoryDestination,
  AssessmentNotFoundError,
} from '../index.js';
import { LocalTraceStore } from '../store/local-store.js';
import { startFakeMlflowServer, type FakeMlflowServer } from '../exporters/testing/fake-mlflow-server.js';
import { tempDir } from '../../../../test-support/temp-dir.js';

let server: FakeMlflowServer;
beforeAll(async () => {
  server = await startFakeMlflowServer();
});
afterAll(async () => {
  setDestination(undefined);
  await server.close();
});

const answer = trace(
  async (question: string, session?: string) => {
    if (session) updateCurrentTrace({ sessionId: session });
    return `answer to ${question}`;
  },
  { name: 'answer', spanType: 'AGENT' },
);

async function run(question: string, session?: string): Promise<string> {
  await answer(question, session);
  await flushTraces();
  return getLastActiveTraceId()!;
}

const ids = async (filterString: string) => (await searchTraces({ filterString, maxResults: 100, includeSpans: false })).traces.map((t) => t.info.traceId).sort();

for (const where of ['local store', 'MLflow server', 'in-memory destination'] as const) {
  describe(`assessments on the ${where}`, () => {
    let root = '';
    beforeAll(() => {
      root = join(tempDir('tw-assess-api-'), 'mlruns');
      if (where === 'in-memory destination') setDestination(new InMemoryDestination());
      else setTrackingUri(where === 'local store' ? root : server.url);
    });

    it('logs feedback and expectations of any JSON type, returned on getTrace() in MLflow JSON and searchable', async () => {
      const t1 = await run('capital of France?');
      const t2 = await run('capital of Spain?');
      const up = await logFeedback({ traceId: t1, name: 'thumbs', value: true, source: { sourceType: 'HUMAN', sourceId: 'alice' }, rationale: 'correct' });
      expect(up).toMatchObject({ assessment_name: 'thumbs', trace_id: t1, feedback: { value: true }, source: { source_type: 'HUMAN', source_id: 'alice' }, rationale: 'correct', valid: true });
      expect(up.assessment_id).toMatch(/^a-[0-9a-f]{32}$/);
      expect(Date.parse(up.create_time)).toBeGreaterThan(0);
      await logFeedback({ traceId: t2, name: 'thumbs', value: false, source: { sourceType: 'LLM_JUDGE', sourceId: 'gpt-judge' } });
      await logFeedback({ traceId: t2, name: 'scores', value: { relevance: 0.5, tags: ['short', null] }, source: { sourceType: 'CODE', sourceId: 'scorer.ts' } });
      const expected = await logExpectation({ traceId: t1, name: 'expected_answer', value: 'Paris', metadata: { batch: 3 } });
      expect(expected).toMatchObject({ expectation: { value: 'Paris' }, source: { source_type: 'HUMAN' }, metadata: { batch: '3' } });
      const errored = await logFeedback({ traceId: t2, name: 'judge', error: new Error('judge timed out'), source: { sourceType: 'LLM_JUDGE', sourceId: 'j' } });
      expect(errored.feedback).toEqual({ error: { error_code: 'Error', error_message: 'judge timed out' } });

      const got = JSON.parse(JSON.stringify(await getTrace(t1)));
      expect(got.info.assessments.map((a: any) => a.assessment_name).sort()).toEqual(['expected_answer', 'thumbs']);
      expect(got.info.assessments.find((a: any) => a.assessment_name === 'thumbs')).toEqual(up);
      expect(await getAssessment(t2, errored.assessment_id)).toEqual(errored);

      expect(await ids("feedback.thumbs = 'true'")).toEqual([t1]);
      expect(await ids("feedback.thumbs = 'false'")).toEqual([t2]);
      expect(await ids("expectation.expected_answer = 'Paris'")).toEqual([t1]);
      expect(await ids('feedback.scores IS NOT NULL')).toEqual([t2]);
      expect(await ids("expectation.expected_answer LIKE 'Par%'")).toEqual([t1]);
      expect(await ids("expectation.expected_answer ILIKE 'pa_is'")).toEqual([t1]);
      expect(await ids("feedback.scores RLIKE 'relevance.:0[.]5'")).toEqual([t2]);
      expect(await ids("feedback.thumbs != 'true'")).toEqual([t2]);
      expect(await ids('feedback.thumbs IS NULL')).not.toContain(t1);
      // ordered by the feedback value (false < true); traces without it last
      const ordered = (await searchTraces({ orderBy: ['feedback.thumbs DESC'], maxResults: 100, includeSpans: false })).traces.map((t) => t.info.traceId);
      expect(ordered.slice(0, 2)).toEqual([t1, t2]);
      const ascending = (await searchTraces({ orderBy: ['feedback.thumbs ASC'], maxResults: 100, includeSpans: false })).traces.map((t) => t.info.traceId);
      expect(ascending.slice(0, 2)).toEqual([t2, t1]);
    });

    it('updates in place, overrides keeping history, deletes (restoring what an override replaced)', async () => {
      const t = await run('2 + 2?');
      const judge = await logFeedback({ traceId: t, name: 'correct', value: 'no', source: { sourceType: 'LLM_JUDGE', sourceId: 'judge' } });
      const renamed = await updateAssessment(t, judge.assessment_id, { rationale: 'judge was unsure' });
      expect(renamed.rationale).toBe('judge was unsure');
      expect(renamed.feedback).toEqual({ value: 'no' });
      const human = await overrideFeedback({ traceId: t, assessmentId: judge.assessment_id, value: 'yes', rationale: '4 is right', source: { sourceType: 'HUMAN', sourceId: 'bob' } });
      expect(human).toMatchObject({ overrides: judge.assessment_id, valid: true, feedback: { value: 'yes' }, assessment_name: 'correct' });
      const all = (await getTrace(t))!.info.assessments as any[];
      expect(all).toHaveLength(2);
      expect(all.find((a) => a.assessment_id === judge.assessment_id)).toMatchObject({ valid: false, feedback: { value: 'no' } });
      expect(await ids("feedback.correct = 'no'")).toEqual([]);
      expect(await ids("feedback.correct = 'yes'")).toEqual([t]);
      await deleteAssessment(t, human.assessment_id);
      expect(await ids("feedback.correct = 'no'")).toEqual([t]);
      await expect(getAssessment(t, human.assessment_id)).rejects.toBeInstanceOf(AssessmentNotFoundError);
      const changed = await updateAssessment(t, judge.assessment_id, { value: 42 });
      expect(changed.feedback).toEqual({ value: 42 });
      expect(await ids("feedback.correct = '42'")).toEqual([t]);
    });

    it('session feedback is stored on the first trace with the mlflow.trace.session marker and applies to the whole session', async () => {
      const session = `chat-${where}`;
      const first = await run('hi', session);
      // Trace times are milliseconds: two traces in the same one tie, and MLflow breaks the tie by
      // trace id, so "first" would be either. A session's turns are further apart than that.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await run('and then?', session);
      const other = await run('unrelated');
      const a = await logFeedback({ sessionId: session, name: 'resolved', value: true, source: { sourceType: 'HUMAN', sourceId: 'carol' } });
      expect(a.trace_id).toBe(first);
      expect(a.metadata).toEqual({ 'mlflow.trace.session': session });
      expect(await ids("feedback.resolved = 'true'")).toEqual([first, second].sort());
      expect(await ids('feedback.resolved IS NULL')).toContain(other);
    });

    it('rejects bad input with clear errors', async () => {
      const t = await run('x');
      await expect(logFeedback({ traceId: t, name: 'a.b', value: 1 })).rejects.toThrow(/"name" must not contain "\."/);
      await expect(logFeedback({ traceId: t, name: 'x' })).rejects.toThrow(/"value" is required/);
      await expect(logFeedback({ name: 'x', value: 1 })).rejects.toThrow(/"traceId" \(or "sessionId"\) is required/);
      await expect(logFeedback({ traceId: t, value: 1, source: { sourceType: 'ROBOT' as never } })).rejects.toThrow(/HUMAN, LLM_JUDGE, CODE, got "ROBOT"/);
      await expect(logFeedback({ traceId: t, value: () => 1 })).rejects.toThrow(/"value" must be a JSON value, got a function/);
      await expect(logFeedback({ traceId: t, value: Number.NaN })).rejects.toThrow(AssessmentInputError);
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      await expect(logExpectation({ traceId: t, name: 'e', value: cyclic })).rejects.toThrow(/cycle/);
      await expect(logFeedback({ traceId: t, value: 1, spanId: 'nope' })).rejects.toThrow(/16-hex-digit span id/);
      await expect(logFeedback({ traceId: 'tr-0123456789abcdef0123456789abcdef', value: 1 })).rejects.toThrow(/not found|RESOURCE_DOES_NOT_EXIST/i);
      await expect(logFeedback({ sessionId: 'no-such-session', value: 1 })).rejects.toThrow(/no trace of session "no-such-session"/);
      await expect(updateAssessment(t, 'a-missing', { rationale: 'x' })).rejects.toBeInstanceOf(AssessmentNotFoundError);
      await expect(updateAssessment(t, 'a-missing', { colour: 'red' } as never)).rejects.toThrow(/unknown change "colour"/);
      const e = await logExpectation({ traceId: t, name: 'gold', value: [1, 2] });
      await expect(overrideFeedback({ traceId: t, assessmentId: e.assessment_id, value: 3 })).rejects.toThrow(/only feedback can be overridden/);
      if (where === 'MLflow server') expect(server.violations).toEqual([]);
    });

    if (where === 'local store') {
      it('is durable and visible to another process reading the same directory', async () => {
        const reader = LocalTraceStore.open(root);
        try {
          const page = await reader.searchTraces({ filterString: "feedback.thumbs = 'true'" });
          expect(page.traces).toHaveLength(1);
          expect((page.traces[0]!.info.assessments as any[]).some((a) => a.assessment_name === 'thumbs' && a.feedback.value === true)).toBe(true);
        } finally {
          reader.close();
        }
      });
    } else if (where === 'MLflow server') {
      it('sent through the MLflow assessment endpoints with no unknown fields', () => {
        const paths = new Set(server.requests.filter((r) => r.path.includes('/assessments')).map((r) => `${r.method} ${r.path.replace(/tr-[0-9a-f]+/, '{trace}').replace(/a-[0-9a-z-]+$/, '{id}')}`));
        expect([...paths].sort()).toEqual([
          'DELETE /api/3.0/mlflow/traces/{trace}/assessments/{id}',
          'GET /api/3.0/mlflow/traces/{trace}/assessments/{id}',
          'PATCH /api/3.0/mlflow/traces/{trace}/assessments/{id}',
          'POST /api/3.0/mlflow/traces/{trace}/assessments',
        ]);
        expect(server.violations).toEqual([]);
      });
    }
  });
}
