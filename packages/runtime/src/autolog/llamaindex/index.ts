/**
 * `@tracewright/runtime/llamaindex`: traces LlamaIndex.TS through its split packages —
 * `@llamaindex/core` retrievers (RETRIEVER, with the retrieved nodes as documents), query
 * engines and response synthesizers (CHAIN), chat engines (CHAIN), agent runners (AGENT);
 * `@llamaindex/workflow` agent workflows (`agent()`/`multiAgent()` runs as AGENT, their tool
 * calls as TOOL); and `@llamaindex/openai` LLM calls (LLM, with messages, tools, tool calls
 * and usage; a streamed reply keeps its span open until it is read).
 *
 *   import { autolog } from '@tracewright/runtime/llamaindex';
 *   autolog();
 *
 * The `llamaindex` umbrella package re-exports these same classes, so it is covered too. The
 * OpenAI SDK call the LLM class makes nests under its LLM span when the OpenAI integration is
 * on as well; its tokens count once (the trace sums the outermost span that carries usage).
 * The packages are optional peer dependencies.
 */
import { SpanAttributeKey, SpanType } from '../../model/constants.js';
import { createMultiAutolog, type SdkIntegration } from '../common/autolog.js';
import { stepTracer, type StepDescription } from '../common/framework-call.js';
import { traceSdkCall, type CallDescription, type CallResult, type StreamAssembler } from '../common/llm-call.js';
import { patchTracers } from '../common/patch-registry.js';
import { secretStrings } from '../common/redact.js';
import { normalizeTokenUsage } from '../common/token-usage.js';
import { normalizeTools } from '../common/tools.js';
import type { MethodTracer } from '../common/traced-client.js';
import { chatCompletionAssembler } from '../openai/chat-stream.js';

export type { AutologOptions, AutologResult } from '../common/autolog.js';

const INTEGRATION = 'llamaindex';
/** Set by `@llamaindex/env` when it loads; a second load (its other module format) prints an error. */
const LOAD_MARKER = '__ $@llamaindex/env$ __';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' ? (v as Obj) : undefined);
const className = (self: unknown, fallback: string) => (obj(self)?.constructor as { name?: string } | undefined)?.name || fallback;

/** LlamaIndex message content: a string or content parts (`{ type: 'text', text }`). */
function textOf(content: unknown): unknown {
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'string' ? p : (obj(p)?.text ?? ''))).join('');
  return content;
}

/** `retrieve("q")`, `retrieve({ query })`, `query({ query, stream })`, `chat({ message })`: the question as text. */
function queryOf(params: unknown): unknown {
  if (typeof params === 'string') return params;
  const p = obj(params);
  const q = p?.query ?? p?.message;
  return typeof q === 'string' ? q : (textOf(obj(q)?.query ?? q) ?? q);
}

/** NodeWithScore[] as MLflow retriever documents. */
function documents(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((item) => {
    const node = obj(obj(item)?.node) ?? {};
    const score = obj(item)?.score;
    return {
      page_content: typeof node.text === 'string' ? node.text : undefined,
      metadata: { ...(obj(node.metadata) ?? {}), ...(typeof score === 'number' ? { score } : {}) },
      ...(typeof node.id_ === 'string' ? { id: node.id_ } : {}),
    };
  });
}

/** An EngineResponse (query engines, chat engines): its text and the source nodes as documents. */
function engineResponse(value: unknown): unknown {
  const v = obj(value);
  if (!v || !('message' in v || 'sourceNodes' in v)) return value;
  const message = obj(v.message);
  const out: Obj = { response: textOf(message?.content) };
  if (Array.isArray(v.sourceNodes) && v.sourceNodes.length > 0) out.source_nodes = documents(v.sourceNodes);
  return out;
}

const step = (spanType: string, method: string, inputs: (args: unknown[]) => unknown, outputs?: (value: unknown) => unknown): MethodTracer =>
  stepTracer((self, args): StepDescription => ({ name: `${className(self, 'LlamaIndex')}.${method}`, spanType, inputs: inputs(args), outputs }));

const queryInputs = (args: unknown[]) => ({ query: queryOf(args[0]) });
const chatInputs = (args: unknown[]) => {
  const p = obj(args[0]);
  return { message: textOf(p?.message ?? args[0]), ...(p?.stream ? { stream: true } : {}) };
};

// ---- LLM (@llamaindex/openai) ----

interface LlmChunk {
  delta?: string;
  raw?: unknown;
  options?: { toolCall?: unknown };
}

function llmResponse(value: unknown): CallResult {
  const raw = obj(obj(value)?.raw);
  const model = raw?.model;
  return { outputs: value, usage: normalizeTokenUsage(raw?.usage), attributes: typeof model === 'string' ? { [SpanAttributeKey.MODEL]: model } : undefined };
}

/** Streamed LlamaIndex chunks carry the provider's chunk in `raw`: the OpenAI completion is assembled from those. */
function llmStreamAssembler(): StreamAssembler {
  const inner = chatCompletionAssembler();
  return {
    isToken: (c) => !!(c as LlmChunk)?.delta || !!(c as LlmChunk)?.options?.toolCall,
    add: (c) => {
      const raw = (c as LlmChunk)?.raw;
      if (raw !== undefined) inner.add(raw);
    },
    result: () => inner.result(),
  };
}

function describeLlm(self: unknown, args: unknown[]): CallDescription {
  const params = obj(args[0]) ?? {};
  const llm = obj(self) ?? {};
  const tools = Array.isArray(params.tools) ? params.tools.map((t) => obj(t)?.metadata ?? t) : undefined;
  const { tools: _tools, ...rest } = params;
  return {
    name: `${className(self, 'LLM')}.chat`,
    spanType: SpanType.LLM,
    provider: 'openai',
    messageFormat: 'llamaindex',
    model: llm.model,
    inputs: tools ? { ...rest, tools } : rest,
    tools: normalizeTools(tools),
    response: llmResponse,
    stream: llmStreamAssembler,
    secrets: secretStrings(() => [llm.apiKey]),
  };
}

const llmTracer: MethodTracer = (original, self, args) => traceSdkCall((a) => describeLlm(self, a), original, self, args);

// ---- the modules ----

const proto = (mod: Obj | undefined, name: string) => obj((mod?.[name] as { prototype?: unknown } | undefined)?.prototype);

function module(specifier: string, identity: string, patch: (mod: Obj) => void): SdkIntegration {
  return {
    name: `${INTEGRATION}:${specifier}`,
    specifier,
    identity,
    loadMarkers: [LOAD_MARKER],
    patchCopy(mod) {
      if (typeof mod?.[identity] !== 'function') return false;
      patch(mod);
      return true;
    },
  };
}

function patchOn(mod: Obj, integration: string, cls: string, tracers: Record<string, MethodTracer>): void {
  const target = proto(mod, cls);
  if (target) patchTracers(integration, target, tracers);
}

const MODULES: readonly SdkIntegration[] = [
  module('@llamaindex/core/retriever', 'BaseRetriever', (mod) =>
    patchOn(mod, `${INTEGRATION}:@llamaindex/core/retriever`, 'BaseRetriever', { retrieve: step(SpanType.RETRIEVER, 'retrieve', queryInputs, documents) }),
  ),
  module('@llamaindex/core/query-engine', 'BaseQueryEngine', (mod) =>
    patchOn(mod, `${INTEGRATION}:@llamaindex/core/query-engine`, 'BaseQueryEngine', { query: step(SpanType.CHAIN, 'query', queryInputs, engineResponse) }),
  ),
  module('@llamaindex/core/response-synthesizers', 'BaseSynthesizer', (mod) =>
    patchOn(mod, `${INTEGRATION}:@llamaindex/core/response-synthesizers`, 'BaseSynthesizer', {
      synthesize: step(SpanType.CHAIN, 'synthesize', (args) => ({ query: queryOf(obj(args[0])?.query), nodes: documents(obj(args[0])?.nodes) }), engineResponse),
    }),
  ),
  module('@llamaindex/core/chat-engine', 'SimpleChatEngine', (mod) => {
    for (const cls of ['SimpleChatEngine', 'ContextChatEngine']) patchOn(mod, `${INTEGRATION}:@llamaindex/core/chat-engine`, cls, { chat: step(SpanType.CHAIN, 'chat', chatInputs, engineResponse) });
  }),
  module('@llamaindex/core/agent', 'AgentRunner', (mod) =>
    patchOn(mod, `${INTEGRATION}:@llamaindex/core/agent`, 'AgentRunner', { chat: step(SpanType.AGENT, 'chat', chatInputs, engineResponse) }),
  ),
  module('@llamaindex/workflow', 'AgentWorkflow', (mod) =>
    patchOn(mod, `${INTEGRATION}:@llamaindex/workflow`, 'AgentWorkflow', {
      run: step(SpanType.AGENT, 'run', (args) => ({ input: textOf(args[0]) }), (value) => obj(value)?.data ?? value),
      callTool: stepTracer((_self, args) => {
        const call = obj(args[0]) ?? {};
        return { name: typeof call.toolName === 'string' ? call.toolName : 'tool', spanType: SpanType.TOOL, inputs: call.toolKwargs, attributes: { 'llamaindex.agent': call.agentName, 'llamaindex.toolCallId': call.toolId } };
      }),
    }),
  ),
  module('@llamaindex/openai', 'OpenAI', (mod) => patchOn(mod, `${INTEGRATION}:@llamaindex/openai`, 'OpenAI', { chat: llmTracer })),
];

/** The patch-registry names of the LlamaIndex modules (for tests and the doctor). */
export const LLAMAINDEX_INTEGRATIONS: readonly string[] = MODULES.map((m) => m.name);

/** Instruments LlamaIndex.TS (all its installed modules above). Idempotent; `autolog({ disable: true })` undoes it. */
export const autolog = createMultiAutolog(INTEGRATION, MODULES);
