/**
 * A telemetry integration for `ai` 7 (the SDK's `Telemetry` interface, the same shape
 * `@ai-sdk/otel` implements): lifecycle events keyed by the call's `callId`, recorded as
 * tracewright spans. Registered globally by `autolog()` (the SDK reads its global list on every
 * call, so it works whatever the import order), or passed per call as
 * `telemetry: { integrations: aiSdkIntegration() }`.
 *
 * Spans: the operation (`ai.generateText`, `ai.streamText`, `ai.generateObject`, ... CHAIN;
 * `ai.embed*` EMBEDDING; `ai.rerank` RERANKER) under whatever span is active where the call was
 * made; under it an LLM span per model call (`<operation>.doGenerate` / `.doStream`, one per
 * step), a TOOL span per tool execution (named after the tool), `<operation>.doEmbed` per
 * embedding call. The SDK runs the provider request and the tool's `execute` through
 * `executeLanguageModelCall` / `executeTool`, where the LLM / TOOL span is made active, so spans
 * the tool (or an autologged HTTP client) opens nest under it.
 *
 * `ai` 6 reads the same global list and calls `onStart` with events of another shape; events
 * without `aiVersion` (absent before 7) are ignored, so `ai` 6 keeps using aiSdkTelemetry().
 */
import { SpanAttributeKey, SpanType } from '../../model/constants.js';
import { currentFrame, runInFrame } from '../../core/context.js';
import type { ContextFrame } from '../../core/state.js';
import { reportInternalError } from '../../core/diagnostics.js';
import { NO_OP_SPAN, type LiveSpan } from '../../core/live-span.js';
import { beginSpan, frameFor } from '../../core/tracer.js';
import { FIRST_TOKEN_EVENT, STREAM_ABORTED_EVENT, TIME_TO_FIRST_TOKEN_KEY } from '../common/llm-call.js';
import { normalizeTokenUsage } from '../common/token-usage.js';
import { normalizeTools } from '../common/tools.js';
import { spanTypeFor } from './span-mapping.js';

type Event = Record<string, any>;

interface CallState {
  operationId: string;
  op: LiveSpan;
  frame: ContextFrame;
  llm?: LiveSpan;
  tools: Map<string, LiveSpan>;
  embeds: Map<string, LiveSpan>;
}

const positive = (n: unknown) => (typeof n === 'number' && n > 0 ? n : undefined);

/** `ai` 7's usage (`inputTokens`, `inputTokenDetails.cacheReadTokens`, ...) in MLflow's shape. */
function usageOf(usage: unknown): ReturnType<typeof normalizeTokenUsage> {
  if (usage === null || typeof usage !== 'object') return undefined;
  const u = usage as Event;
  if (typeof u.tokens === 'number') return normalizeTokenUsage({ input_tokens: u.tokens, output_tokens: 0 });
  return normalizeTokenUsage({
    input_tokens: u.inputTokens,
    output_tokens: u.outputTokens,
    total_tokens: u.totalTokens,
    // The SDK reports 0 when the provider sent no cache figures: recorded only when non-zero.
    cache_read_input_tokens: positive(u.inputTokenDetails?.cacheReadTokens),
    cache_creation_input_tokens: positive(u.inputTokenDetails?.cacheWriteTokens),
  });
}

/** The SDK's provider ids are `openai.chat`, `anthropic.messages`, ...: MLflow wants the vendor. */
function modelAttributes(e: Event): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof e.modelId === 'string') out[SpanAttributeKey.MODEL] = e.modelId;
  if (typeof e.provider === 'string') out[SpanAttributeKey.PROVIDER] = e.provider.split('.')[0];
  return out;
}

/** A thrown value as an Error the span can record, keeping the SDK's class name (AI_APICallError, ...). */
function asError(value: unknown): unknown {
  if (value instanceof Error || value === null || typeof value !== 'object') return value;
  const v = value as { name?: unknown; message?: unknown };
  const error = new Error(String(v.message ?? ''));
  if (typeof v.name === 'string') error.name = v.name;
  return error;
}

function fail(span: LiveSpan | undefined, error: unknown): void {
  if (!span || span === NO_OP_SPAN) return;
  const recorded = asError(error);
  span.recordException(recorded);
  span.setStatus('ERROR', recorded instanceof Error ? recorded.message : String(recorded));
  span.end();
}

function operationInputs(e: Event): unknown {
  if ('values' in e) return { values: e.values };
  if ('value' in e) return { value: e.value };
  if ('query' in e) return { query: e.query, documents: e.documents };
  const out: Event = {};
  for (const key of ['instructions', 'system', 'prompt', 'messages', 'schema']) if (e[key] !== undefined) out[key] = e[key];
  return Object.keys(out).length > 0 ? out : undefined;
}

function operationOutputs(e: Event): unknown {
  if ('embeddings' in e) return { embeddings: e.embeddings };
  if ('embedding' in e) return { embedding: e.embedding };
  if ('ranking' in e) return { ranking: e.ranking };
  if ('object' in e) return e.object;
  const out: Event = {};
  if (typeof e.text === 'string') out.text = e.text;
  if (Array.isArray(e.toolCalls) && e.toolCalls.length > 0) out.toolCalls = e.toolCalls;
  if (e.finishReason !== undefined) out.finishReason = e.finishReason;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The model call's response: text, tool calls, reasoning, finish reason. */
function modelOutputs(e: Event): unknown {
  const content: Event[] = Array.isArray(e.content) ? e.content : [];
  const text = content.filter((p) => p?.type === 'text').map((p) => p.text).join('');
  const reasoning = content.filter((p) => p?.type === 'reasoning').map((p) => p.text).join('');
  const toolCalls = content.filter((p) => p?.type === 'tool-call');
  const out: Event = {};
  if (text) out.text = text;
  if (toolCalls.length > 0) out.toolCalls = toolCalls;
  if (reasoning) out.reasoning = reasoning;
  if (e.finishReason !== undefined) out.finishReason = e.finishReason;
  return out;
}

const fromAi7 = (e: unknown): e is Event => e !== null && typeof e === 'object' && typeof (e as Event).aiVersion === 'string' && typeof (e as Event).callId === 'string';

export interface AiSdkIntegration {
  onStart(event: unknown): void;
  onLanguageModelCallStart(event: unknown): void;
  onLanguageModelCallEnd(event: unknown): void;
  onObjectStepStart(event: unknown): void;
  onObjectStepEnd(event: unknown): void;
  onStepError(event: unknown): void;
  onToolExecutionStart(event: unknown): void;
  onToolExecutionEnd(event: unknown): void;
  onEmbedStart(event: unknown): void;
  onEmbedEnd(event: unknown): void;
  onEnd(event: unknown): void;
  onAbort(event: unknown): void;
  onError(event: unknown): void;
  executeLanguageModelCall<T>(options: { callId: string; execute: () => PromiseLike<T> }): PromiseLike<T>;
  executeTool<T>(options: { callId: string; toolCallId: string; execute: () => PromiseLike<T> }): PromiseLike<T>;
}

/** One integration serves every call: its state is keyed by the SDK's per-call `callId`. */
export function createAiSdkIntegration(): AiSdkIntegration {
  const calls = new Map<string, CallState>();

  function guard(what: string, event: unknown, fn: (e: Event) => void): void {
    if (!fromAi7(event)) return;
    try {
      fn(event);
    } catch (error) {
      reportInternalError(`ai-sdk integration: ${what}`, error);
    }
  }

  function child(state: CallState, init: Parameters<typeof beginSpan>[0]): LiveSpan {
    return beginSpan(init, state.frame);
  }

  /** Ends what the call left open (a failed or aborted call ends its model/tool spans too). */
  function finish(callId: string, end: (state: CallState) => void): void {
    const state = calls.get(callId);
    if (!state) return;
    calls.delete(callId);
    end(state);
  }

  function beginModelCall(e: Event, messages: unknown, tools: ReturnType<typeof normalizeTools>): void {
    const state = calls.get(e.callId);
    if (!state) return;
    const streaming = state.operationId.startsWith('ai.stream');
    const attributes: Record<string, unknown> = { ...modelAttributes(e), [SpanAttributeKey.MESSAGE_FORMAT]: 'ai-sdk' };
    if (tools) attributes[SpanAttributeKey.CHAT_TOOLS] = tools;
    state.llm = child(state, {
      name: `${state.operationId}.${streaming ? 'doStream' : 'doGenerate'}`,
      spanType: SpanType.LLM,
      inputs: tools ? { messages, tools } : { messages },
      attributes,
    });
  }

  /** Takes the call's open model span and records usage and time to first token on it; the caller sets outputs and ends it. */
  function endModelCall(e: Event, ttft: unknown): LiveSpan | undefined {
    const state = calls.get(e.callId);
    const llm = state?.llm;
    if (!state || !llm) return undefined;
    state.llm = undefined;
    const usage = usageOf(e.usage);
    if (usage) llm.setAttribute(SpanAttributeKey.TOKEN_USAGE, usage);
    if (typeof ttft === 'number') {
      llm.setAttribute(TIME_TO_FIRST_TOKEN_KEY, ttft);
      llm.addEvent({ name: FIRST_TOKEN_EVENT, timestamp: llm.startTimeUnixNano + BigInt(Math.round(ttft * 1e6)) });
    }
    return llm;
  }

  function activeIn<T>(span: LiveSpan | undefined, state: CallState | undefined, execute: () => PromiseLike<T>): PromiseLike<T> {
    if (!span || span === NO_OP_SPAN || !state) return execute();
    return runInFrame(frameFor(span, state.frame), execute);
  }

  return {
    onStart: (event) =>
      guard('onStart', event, (e) => {
        const operationId = String(e.operationId ?? 'ai.call');
        const parent = currentFrame();
        const op = beginSpan(
          { name: operationId, spanType: spanTypeFor(operationId), inputs: operationInputs(e), attributes: { ...modelAttributes(e), ...(e.functionId ? { 'ai.telemetry.functionId': e.functionId } : {}) } },
          parent,
        );
        if (op === NO_OP_SPAN) return;
        calls.set(e.callId, { operationId, op, frame: frameFor(op, parent), tools: new Map(), embeds: new Map() });
      }),

    onLanguageModelCallStart: (event) =>
      guard('onLanguageModelCallStart', event, (e) => {
        const tools = Array.isArray(e.tools) ? e.tools.map((t: Event) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.inputSchema } })) : undefined;
        beginModelCall(e, e.messages, normalizeTools(tools));
      }),

    onLanguageModelCallEnd: (event) =>
      guard('onLanguageModelCallEnd', event, (e) => {
        const llm = endModelCall(e, e.performance?.timeToFirstOutputMs);
        if (!llm) return;
        if (typeof e.responseId === 'string') llm.setAttribute('ai.response.id', e.responseId);
        llm.setOutputs(modelOutputs(e));
        llm.end();
      }),

    // generateObject / streamObject (deprecated in 7, still shipped) report their one model call as an object step.
    onObjectStepStart: (event) => guard('onObjectStepStart', event, (e) => beginModelCall(e, e.promptMessages, undefined)),

    onObjectStepEnd: (event) =>
      guard('onObjectStepEnd', event, (e) => {
        const llm = endModelCall(e, e.msToFirstChunk);
        if (!llm) return;
        llm.setOutputs({ text: e.objectText, finishReason: e.finishReason });
        llm.end();
      }),

    onStepError: (event) =>
      guard('onStepError', event, (e) => {
        const state = calls.get(e.callId);
        if (!state?.llm) return;
        fail(state.llm, e.error);
        state.llm = undefined;
      }),

    onToolExecutionStart: (event) =>
      guard('onToolExecutionStart', event, (e) => {
        const state = calls.get(e.callId);
        const call = e.toolCall as Event | undefined;
        if (!state || !call) return;
        state.tools.set(String(call.toolCallId), child(state, { name: String(call.toolName ?? 'tool'), spanType: SpanType.TOOL, inputs: call.input, attributes: { 'ai.toolCall.id': call.toolCallId } }));
      }),

    onToolExecutionEnd: (event) =>
      guard('onToolExecutionEnd', event, (e) => {
        const state = calls.get(e.callId);
        const id = String(e.toolCall?.toolCallId ?? e.toolOutput?.toolCallId);
        const span = state?.tools.get(id);
        if (!state || !span) return;
        state.tools.delete(id);
        const out = e.toolOutput as Event | undefined;
        if (e.success === false || out?.type === 'tool-error') return fail(span, e.error ?? out?.error);
        span.setOutputs(out?.output);
        span.end();
      }),

    onEmbedStart: (event) =>
      guard('onEmbedStart', event, (e) => {
        const state = calls.get(e.callId);
        if (!state) return;
        const name = typeof e.operationId === 'string' ? e.operationId : `${state.operationId}.doEmbed`;
        state.embeds.set(String(e.embedCallId), child(state, { name, spanType: SpanType.EMBEDDING, inputs: { values: e.values }, attributes: modelAttributes(e) }));
      }),

    onEmbedEnd: (event) =>
      guard('onEmbedEnd', event, (e) => {
        const state = calls.get(e.callId);
        const span = state?.embeds.get(String(e.embedCallId));
        if (!state || !span) return;
        state.embeds.delete(String(e.embedCallId));
        const usage = usageOf(e.usage);
        if (usage) span.setAttribute(SpanAttributeKey.TOKEN_USAGE, usage);
        span.setOutputs({ embeddings: e.embeddings });
        span.end();
      }),

    onEnd: (event) =>
      guard('onEnd', event, (e) =>
        finish(e.callId, (state) => {
          for (const open of [state.llm, ...state.tools.values(), ...state.embeds.values()]) open?.end();
          const outputs = operationOutputs(e);
          if (outputs !== undefined) state.op.setOutputs(outputs);
          state.op.end();
        }),
      ),

    onAbort: (event) =>
      guard('onAbort', event, (e) =>
        finish(e.callId, (state) => {
          for (const open of [state.llm, ...state.tools.values(), state.op]) {
            if (!open) continue;
            open.addEvent({ name: STREAM_ABORTED_EVENT });
            open.setStatus('ERROR', 'aborted');
            open.end();
          }
        }),
      ),

    onError: (event) =>
      guard('onError', event, (e) =>
        finish(e.callId, (state) => {
          for (const open of [state.llm, ...state.tools.values(), ...state.embeds.values(), state.op]) fail(open, e.error);
        }),
      ),

    executeLanguageModelCall(options) {
      const state = calls.get(options.callId);
      return activeIn(state?.llm, state, options.execute);
    },

    executeTool(options) {
      const state = calls.get(options.callId);
      return activeIn(state?.tools.get(options.toolCallId), state, options.execute);
    },
  };
}
