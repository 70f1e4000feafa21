/**
 * How `@google/genai` calls become spans. The SDK's public `models.*` methods are arrow-function
 * fields created per instance, so the instrumented methods are the prototype methods they all
 * go through (`generateContentInternal`, `generateContentStreamInternal`,
 * `embedContentInternal`): one span per request to the model, also for the requests the SDK
 * makes on its own (automatic function calling, automatic continuation). Spans are named after
 * the public method, as MLflow's `@mlflow/gemini` names them.
 */
import { SpanAttributeKey, SpanType } from '../../model/constants.js';
import { traceSdkCall, type CallDescription, type CallResult, type StreamAssembler } from '../common/llm-call.js';
import { normalizeTokenUsage } from '../common/token-usage.js';
import { normalizeTools } from '../common/tools.js';
import type { MethodTracer } from '../common/traced-client.js';
import { secretStrings } from '../common/redact.js';

const PROVIDER = 'google';
const FORMAT = 'gemini';

type Params = Record<string, unknown> & { model?: unknown; config?: Record<string, unknown> };
type Part = Record<string, unknown> & { text?: string; thought?: boolean; functionCall?: unknown };
interface Candidate {
  index?: number;
  content?: { role?: string; parts?: Part[] };
  finishReason?: string;
  [key: string]: unknown;
}
interface Response {
  candidates?: Candidate[];
  usageMetadata?: unknown;
  modelVersion?: string;
  responseId?: string;
}

/** The request as recorded: transport options (headers, abort signal) are not part of it. */
function recordedParams(params: Params): Params {
  const config = params.config;
  if (!config || typeof config !== 'object' || (!('httpOptions' in config) && !('abortSignal' in config))) return params;
  const { httpOptions: _h, abortSignal: _a, ...rest } = config;
  return { ...params, config: rest };
}

/** `config.tools[].functionDeclarations` flattened into chat-tools form. */
function tools(params: Params): ReturnType<typeof normalizeTools> {
  const list = params.config?.tools;
  if (!Array.isArray(list)) return undefined;
  const declarations = list.flatMap((t) => {
    const fns = (t as { functionDeclarations?: Array<Record<string, unknown>> } | null)?.functionDeclarations;
    return Array.isArray(fns) ? fns.map((f) => ({ ...f, parameters: f.parameters ?? f.parametersJsonSchema })) : [];
  });
  return normalizeTools(declarations);
}

function modelAttributes(value: Response | null | undefined): Record<string, unknown> | undefined {
  return typeof value?.modelVersion === 'string' ? { [SpanAttributeKey.MODEL]: value.modelVersion } : undefined;
}

function generateResponse(value: unknown): CallResult {
  const v = value as Response | null;
  return { outputs: value, usage: normalizeTokenUsage(v?.usageMetadata), attributes: modelAttributes(v) };
}

/** Rebuilds one response from stream chunks: text parts concatenated, other parts (function calls) kept in order. */
export function generateContentAssembler(): StreamAssembler {
  const candidates = new Map<number, { role: string; parts: Part[]; finishReason?: string; rest: Record<string, unknown> }>();
  let last: Response = {};
  return {
    isToken: (chunk) => !!(chunk as Response)?.candidates?.some((c) => c.content?.parts?.some((p) => !!p.text || !!p.functionCall)),
    add(chunk) {
      const c = chunk as Response;
      if (!c || typeof c !== 'object') return;
      last = { ...last, ...(c.usageMetadata ? { usageMetadata: c.usageMetadata } : {}), modelVersion: c.modelVersion ?? last.modelVersion, responseId: c.responseId ?? last.responseId };
      for (const cand of c.candidates ?? []) {
        const index = cand.index ?? 0;
        let state = candidates.get(index);
        if (!state) candidates.set(index, (state = { role: 'model', parts: [], rest: {} }));
        const { content, finishReason, index: _i, ...rest } = cand;
        Object.assign(state.rest, rest);
        if (content?.role) state.role = content.role;
        if (finishReason) state.finishReason = finishReason;
        for (const part of content?.parts ?? []) {
          const prev = state.parts.at(-1);
          const mergeable = typeof part.text === 'string' && prev && typeof prev.text === 'string' && !!prev.thought === !!part.thought && Object.keys(part).length <= 2;
          if (mergeable) prev.text = prev.text! + part.text;
          else state.parts.push({ ...part });
        }
      }
    },
    result(): CallResult {
      const outputs = {
        candidates: [...candidates.entries()]
          .sort(([a], [b]) => a - b)
          .map(([index, s]) => ({ ...s.rest, index, content: { role: s.role, parts: s.parts }, ...(s.finishReason ? { finishReason: s.finishReason } : {}) })),
        ...(last.usageMetadata ? { usageMetadata: last.usageMetadata } : {}),
        ...(last.modelVersion ? { modelVersion: last.modelVersion } : {}),
        ...(last.responseId ? { responseId: last.responseId } : {}),
      };
      return { outputs, usage: normalizeTokenUsage(last.usageMetadata), attributes: modelAttributes(last) };
    },
  };
}

/** Embedding responses are not streamed; a stream here would be unexpected, so keep items as they come. */
function passThroughAssembler(): StreamAssembler {
  const items: unknown[] = [];
  return { isToken: () => false, add: (c) => void items.push(c), result: () => ({ outputs: items }) };
}

type Kind = 'generateContent' | 'generateContentStream' | 'embedContent' | 'sendMessage';

/** The Gemini API key of the client behind `self` (a Models or Chat object). */
function apiKeyOf(self: unknown): string[] {
  const s = self as { apiClient?: { clientOptions?: { apiKey?: unknown } }; modelsModule?: { apiClient?: { clientOptions?: { apiKey?: unknown } } } } | null;
  return secretStrings(() => [s?.apiClient?.clientOptions?.apiKey ?? s?.modelsModule?.apiClient?.clientOptions?.apiKey]);
}

function describe(kind: Kind, args: unknown[], self: unknown): CallDescription {
  const params = (args[0] ?? {}) as Params;
  const secrets = apiKeyOf(self);
  if (kind === 'sendMessage') {
    // A chat turn: the request to the model (with the history) is the LLM span beneath it.
    const chat = self as { model?: unknown } | null;
    return { name: 'sendMessage', spanType: SpanType.CHAT_MODEL, provider: PROVIDER, model: chat?.model, inputs: recordedParams(params), response: (value) => ({ outputs: value }), stream: passThroughAssembler, secrets };
  }
  const embedding = kind === 'embedContent';
  return {
    name: kind,
    spanType: embedding ? SpanType.EMBEDDING : SpanType.LLM,
    provider: PROVIDER,
    messageFormat: embedding ? undefined : FORMAT,
    model: params.model,
    inputs: recordedParams(params),
    tools: embedding ? undefined : tools(params),
    response: embedding ? (value) => ({ outputs: value }) : generateResponse,
    stream: embedding ? passThroughAssembler : generateContentAssembler,
    secrets,
  };
}

const tracer =
  (kind: Kind): MethodTracer =>
  (original, self, args) =>
    traceSdkCall((a) => describe(kind, a, self), original, self, args);

/** Prototype method → tracer; `Chat.sendMessage` is the public method itself. */
export const MODEL_TRACERS = {
  generateContentInternal: tracer('generateContent'),
  generateContentStreamInternal: tracer('generateContentStream'),
  embedContentInternal: tracer('embedContent'),
} as const;
export const CHAT_TRACERS = { sendMessage: tracer('sendMessage') } as const;
