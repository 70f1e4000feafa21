/**
 * How Cohere v2 calls become spans: chat (LLM), chatStream (LLM, assembled from its typed
 * events), embed (EMBEDDING) and rerank (RERANKER, the documents with their relevance scores).
 * The traced methods are the V2 client's `__chat`/`__chatStream`/`__embed`/`__rerank`, which
 * the public methods call at call time (CohereClientV2 binds the public ones when a client is
 * made, so patching those would miss clients made before autolog). They resolve to
 * `{ data, rawResponse }`; only `data` is recorded.
 */
import { SpanType } from '../../model/constants.js';
import type { CallDescription, CallResult, StreamAssembler } from '../common/llm-call.js';
import { secretStrings } from '../common/redact.js';
import { normalizeTokenUsage } from '../common/token-usage.js';
import { normalizeTools } from '../common/tools.js';

const PROVIDER = 'cohere';

type Usage = { tokens?: unknown; billedUnits?: unknown } | undefined;
const usageOf = (usage: Usage) => normalizeTokenUsage(usage?.tokens) ?? normalizeTokenUsage(usage?.billedUnits);
const dataOf = (value: unknown) => (value as { data?: unknown } | null)?.data;

function chatResponse(value: unknown): CallResult {
  const data = dataOf(value) as { usage?: Usage } | undefined;
  return { outputs: data, usage: usageOf(data?.usage) };
}

type ToolCall = { id?: string; type?: string; function?: { name?: string; arguments?: string } };
interface StreamEvent {
  type?: string;
  id?: string;
  index?: number;
  delta?: {
    message?: { role?: string; content?: { text?: string }; toolPlan?: string; toolCalls?: ToolCall };
    finishReason?: string;
    usage?: Usage;
  };
}

/** Rebuilds a v2 chat response from stream events (message-start … message-end). */
export function chatStreamAssembler(): StreamAssembler {
  let id: string | undefined;
  let role = 'assistant';
  const texts: string[] = [];
  let toolPlan = '';
  const toolCalls: ToolCall[] = [];
  let finishReason: string | undefined;
  let usage: Usage;
  return {
    isToken: (e) => (e as StreamEvent)?.type === 'content-delta' || (e as StreamEvent)?.type === 'tool-call-start',
    add(event) {
      const e = event as StreamEvent;
      const m = e?.delta?.message;
      switch (e?.type) {
        case 'message-start':
          id = e.id;
          if (m?.role) role = m.role;
          break;
        case 'content-start':
        case 'content-delta':
          texts[e.index ?? 0] = (texts[e.index ?? 0] ?? '') + (m?.content?.text ?? '');
          break;
        case 'tool-plan-delta':
          toolPlan += m?.toolPlan ?? '';
          break;
        case 'tool-call-start':
          toolCalls[e.index ?? toolCalls.length] = { ...m?.toolCalls, function: { ...m?.toolCalls?.function, arguments: m?.toolCalls?.function?.arguments ?? '' } };
          break;
        case 'tool-call-delta': {
          const call = toolCalls[e.index ?? toolCalls.length - 1];
          if (call?.function) call.function.arguments += m?.toolCalls?.function?.arguments ?? '';
          break;
        }
        case 'message-end':
          finishReason = e.delta?.finishReason;
          usage = e.delta?.usage;
          break;
      }
    },
    result(): CallResult {
      const message = {
        role,
        content: texts.filter((t) => t !== undefined).map((text) => ({ type: 'text', text })),
        ...(toolPlan ? { toolPlan } : {}),
        ...(toolCalls.length ? { toolCalls: toolCalls.filter(Boolean) } : {}),
      };
      return { outputs: { id, finishReason, message, ...(usage ? { usage } : {}) }, usage: usageOf(usage) };
    },
  };
}

const noStream = (): StreamAssembler => ({ isToken: () => false, add: () => undefined, result: () => ({ outputs: undefined }) });

/** A rerank document's text: strings as they are, objects (`{ text }` or fields) as JSON unless they have `text`. */
function documentText(doc: unknown): string {
  if (typeof doc === 'string') return doc;
  const text = (doc as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : JSON.stringify(doc);
}

function rerankResponse(documents: unknown[]): (value: unknown) => CallResult {
  return (value) => {
    const results = (dataOf(value) as { results?: Array<{ index: number; relevanceScore?: number }> } | undefined)?.results ?? [];
    // RERANKER outputs in MLflow's document form: the reordered documents with their scores.
    const outputs = results.map((r) => ({ page_content: documentText(documents[r.index]), metadata: { index: r.index, relevance_score: r.relevanceScore } }));
    return { outputs };
  };
}

export type Kind = 'chat' | 'chatStream' | 'embed' | 'rerank';

export function describe(kind: Kind, args: unknown[], self: unknown): CallDescription {
  const params = (args[0] ?? {}) as Record<string, unknown>;
  const secrets = secretStrings(() => [(self as { _options?: { token?: unknown } } | null)?._options?.token]);
  const base = { name: kind, provider: PROVIDER, model: params.model, inputs: params, secrets, streamProperty: 'data' };
  switch (kind) {
    case 'chat':
    case 'chatStream':
      return { ...base, spanType: SpanType.LLM, messageFormat: 'cohere', tools: normalizeTools(params.tools), response: chatResponse, stream: chatStreamAssembler };
    case 'embed':
      return { ...base, spanType: SpanType.EMBEDDING, response: (value) => ({ outputs: dataOf(value), usage: usageOf((dataOf(value) as { meta?: { billedUnits?: unknown } } | undefined)?.meta) }), stream: noStream };
    case 'rerank':
      return { ...base, spanType: SpanType.RERANKER, response: rerankResponse(Array.isArray(params.documents) ? params.documents : []), stream: noStream };
  }
}
