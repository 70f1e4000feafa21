/**
 * A fixed set of trace infos + spans exercising every filterable field. Spans are real
 * `Span`s with MLflow-encoded attributes, exactly as the runtime and stores hold them.
 */
import { Span } from '../../model/span.js';
import { toSpanStatus } from '../../model/span-status.js';
import type { TraceInfo } from '../../model/trace.js';
import type { TraceState } from '../../model/constants.js';
import type { SearchableTrace } from '../compile.js';

interface SpanSpec {
  name: string;
  type?: string;
  status?: 'OK' | 'ERROR' | 'UNSET';
  attributes?: Record<string, unknown>;
  inputs?: unknown;
}

export interface CorpusTrace extends SearchableTrace {
  info: TraceInfo;
  spanList: Span[];
}

let spanCounter = 0;
function makeSpans(traceId: string, specs: SpanSpec[]): Span[] {
  let rootId: string | null = null;
  return specs.map((spec) => {
    const spanId = (++spanCounter).toString(16).padStart(16, '0');
    const attributes: Record<string, string> = { 'mlflow.traceRequestId': JSON.stringify(traceId) };
    if (spec.type) attributes['mlflow.spanType'] = JSON.stringify(spec.type);
    if (spec.inputs !== undefined) attributes['mlflow.spanInputs'] = JSON.stringify(spec.inputs);
    for (const [k, v] of Object.entries(spec.attributes ?? {})) attributes[k] = JSON.stringify(v);
    const span = new Span({
      traceId,
      spanId,
      parentId: rootId,
      name: spec.name,
      startTimeUnixNano: 1_700_000_000_000_000_000n,
      endTimeUnixNano: 1_700_000_000_100_000_000n,
      status: toSpanStatus(spec.status ?? 'OK')!,
      encodedAttributes: attributes,
      events: [],
    });
    rootId ??= spanId;
    return span;
  });
}

function make(
  id: string,
  fields: {
    state: TraceState;
    requestTime: number;
    executionDuration?: number;
    clientRequestId?: string;
    tags?: Record<string, string>;
    metadata?: Record<string, string>;
    assessments?: unknown[];
    spans?: SpanSpec[];
  },
): CorpusTrace {
  const traceId = `tr-${id}`;
  const info: TraceInfo = {
    traceId,
    traceLocation: { type: 'MLFLOW_EXPERIMENT', mlflowExperiment: { experimentId: '1' } },
    requestTime: fields.requestTime,
    state: fields.state,
    traceMetadata: fields.metadata ?? {},
    tags: fields.tags ?? {},
    assessments: fields.assessments ?? [],
  };
  if (fields.executionDuration !== undefined) info.executionDuration = fields.executionDuration;
  if (fields.clientRequestId !== undefined) info.clientRequestId = fields.clientRequestId;
  const spanList = makeSpans(traceId, fields.spans ?? []);
  return { info, spanList, spans: () => spanList };
}

const feedback = (name: string, value: unknown, extra: Record<string, unknown> = {}) => ({
  assessment_id: `a-${name}`,
  assessment_name: name,
  feedback: { value },
  ...extra,
});

export const corpus: CorpusTrace[] = [
  make('a', {
    state: 'OK',
    requestTime: 1_700_000_000_000,
    executionDuration: 250,
    clientRequestId: 'req-001',
    tags: { 'mlflow.traceName': 'predict', environment: 'production', version: 'v12', model_name: 'm1' },
    metadata: { 'mlflow.trace.user': 'user-1', 'mlflow.trace.session': 'session-123', 'mlflow.sourceRun': 'abc123' },
    assessments: [
      feedback('correctness', 'yes'),
      feedback('user_rating', 'good'),
      { assessment_name: 'expected_answer', expectation: { value: 'Paris is the capital' } },
    ],
    spans: [
      { name: 'predict', type: 'CHAIN' },
      { name: 'retrieve_docs', type: 'RETRIEVER' },
      { name: 'llm', type: 'LLM', status: 'ERROR', attributes: { 'mlflow.llm.model': 'gpt-4o-mini' }, inputs: { q: 'refund please' } },
    ],
  }),
  make('b', {
    state: 'ERROR',
    requestTime: 1_690_000_000_000,
    executionDuration: 900,
    clientRequestId: 'req-002',
    tags: { 'mlflow.traceName': 'inference_7', environment: 'production' },
    metadata: { 'mlflow.trace.user': 'user-2', 'mlflow.sourceRun': 'def456' },
    assessments: [
      feedback('ok', true),
      feedback('user_rating', 'bad'),
      feedback('relevance', 0.8),
      feedback('correctness', 'yes', { valid: false }),
    ],
    spans: [
      { name: 'inference_7', type: 'CHAIN', status: 'ERROR' },
      { name: 'llm', type: 'LLM', attributes: { 'mlflow.llm.model': 'gpt-4o' } },
      { name: 'rerank', type: 'RERANKER', status: 'ERROR' },
    ],
  }),
  make('c', {
    state: 'IN_PROGRESS',
    requestTime: 1_710_000_000_000,
    tags: {
      'mlflow.traceName': 'chat',
      environment: 'staging',
      'mlflow.linkedPrompts': JSON.stringify([{ name: 'qa-system-prompt', version: 4 }]),
    },
    metadata: { 'mlflow.trace.user': 'admin' },
    assessments: [{ assessment_name: 'iss-1', issue: { issue_id: 'iss-1' } }],
  }),
  make('d', {
    state: 'OK',
    requestTime: 1_705_000_000_000,
    executionDuration: 500,
    tags: { 'mlflow.traceName': 'predict_v2', 'my-tag': 'x', 'my.tag': 'dotted', version: 'version-2' },
    metadata: { 'mlflow.trace.user': 'user-10', 'mlflow.trace.session': 'session-9' },
    spans: [
      { name: 'predict_v2', type: 'TOOL', inputs: { text: 'Refund of 100% (half_price)' } },
      { name: 'a.b', status: 'UNSET' },
    ],
  }),
  make('e', {
    state: 'STATE_UNSPECIFIED',
    requestTime: 1_700_000_000_500,
    executionDuration: 0,
    tags: { quote: "it''s" },
  }),
];

/** Short ids (a..e) of the corpus traces the predicate accepts, in corpus order. */
export function matchingIds(predicate: (t: SearchableTrace) => boolean): string[] {
  return corpus.filter((t) => predicate(t)).map((t) => t.info.traceId.slice(3));
}
