/**
 * `@tracewright/runtime/langchain`: LangChain.js runs (chains and runnables, chat models and
 * LLMs, tools, retrievers; LangGraph graphs and nodes, which run as chains) as nested spans.
 *
 *   import { autolog } from '@tracewright/runtime/langchain';
 *   await autolog();                                  // every run, no callbacks to pass
 *
 *   import { TracewrightCallbackHandler } from '@tracewright/runtime/langchain';
 *   await chain.invoke(input, { callbacks: [new TracewrightCallbackHandler()] });
 *
 * Runs nest by LangChain's run ids; a top-level run nests under the active span (a @Trace /
 * trace() / withSpan span). Requires @langchain/core (an optional peer dependency).
 */
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { SpanAttributeKey, SpanType } from '../../model/constants.js';
import { nowNs } from '../../core/clock.js';
import { currentFrame } from '../../core/context.js';
import { reportInternalError } from '../../core/diagnostics.js';
import type { LiveSpan } from '../../core/live-span.js';
import { runtimeState } from '../../core/state.js';
import { beginSpan } from '../../core/tracer.js';
import { FIRST_TOKEN_EVENT, TIME_TO_FIRST_TOKEN_KEY } from '../common/llm-call.js';
import { createAutolog, type AutologOptions, type AutologResult } from '../common/autolog.js';
import { observeAwait } from '../common/autolog-order.js';
import { patchMethod } from '../common/patch-registry.js';
import { normalizeTools } from '../common/tools.js';
import { llmResultOutputs, toChatMessage, toDocument } from './messages.js';
import { adopt, release, runModelCall, type Adoption } from './model-context.js';

const INTEGRATION = 'langchain';
const HANDLER_NAME = 'tracewright_tracer';
/** Patch-registry key of the model methods (kept apart so the CallbackManager count stays its own). */
const MODELS = 'langchain-models';

type Serialized = { id?: string[]; name?: string; kwargs?: Record<string, unknown> } | undefined;

function runName(serialized: Serialized, name: string | undefined, fallback: string): string {
  return name || serialized?.name || serialized?.id?.at(-1) || fallback;
}

const isRunId = (value: unknown): boolean => typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(value);

interface Run {
  span: LiveSpan;
  firstToken: boolean;
  /** A model run's span made current for the model's own code (see model-context.ts). */
  adoption?: Adoption;
}

/**
 * A LangChain callback handler that records every run as a span. One instance can serve any
 * number of concurrent runs (state is keyed by run id).
 */
export class TracewrightCallbackHandler extends BaseCallbackHandler {
  name = HANDLER_NAME;
  private readonly runs = new Map<string, Run>();

  constructor() {
    super();
    // Called in the run's own async context (not from LangChain's background queue), so a
    // top-level run finds the caller's active span.
    this.awaitHandlers = true;
  }

  /** LangChain copies handlers into child managers; ours holds no per-manager state. */
  override copy(): this {
    return this;
  }

  private start(runId: string, parentRunId: string | undefined, name: string, spanType: string, inputs: unknown, attributes?: Record<string, unknown>): void {
    try {
      if (!runtimeState().enabled) return;
      // A sampled-out parent is a no-op span: beginSpan then makes the child a no-op too.
      const parent = parentRunId ? this.runs.get(parentRunId)?.span : undefined;
      const span = beginSpan({ name, spanType, inputs, attributes, parent }, currentFrame());
      const isModel = spanType === SpanType.CHAT_MODEL || spanType === SpanType.LLM;
      this.runs.set(runId, { span, firstToken: false, adoption: isModel ? adopt(span) : undefined });
    } catch (error) {
      reportInternalError('langchain: start span', error);
    }
  }

  private end(runId: string, outputs: unknown, attributes?: Record<string, unknown>): void {
    const run = this.runs.get(runId);
    if (!run) return;
    this.runs.delete(runId);
    release(run.adoption, run.span);
    try {
      run.span.end({ outputs, attributes });
    } catch (error) {
      reportInternalError('langchain: end span', error);
    }
  }

  private fail(runId: string, error: unknown): void {
    const run = this.runs.get(runId);
    if (!run) return;
    this.runs.delete(runId);
    release(run.adoption, run.span);
    run.span.recordException(error);
    run.span.end();
  }

  /**
   * @langchain/core 1.x calls this as (chain, inputs, runId, parentRunId, tags, metadata,
   * runType, runName) while its typings declare (chain, inputs, runId, runType, tags,
   * metadata, runName, parentRunId); accept both.
   */
  override handleChainStart(chain: Serialized, inputs: unknown, runId: string, a3?: unknown, _tags?: unknown, _metadata?: unknown, a6?: unknown, a7?: unknown): void {
    const typingsOrder = !isRunId(a3) && isRunId(a7);
    const parentRunId = typingsOrder ? (a7 as string) : (a3 as string | undefined);
    const name = typingsOrder ? a6 : a7;
    this.start(runId, parentRunId, runName(chain, typeof name === 'string' ? name : undefined, 'chain'), SpanType.CHAIN, inputs);
  }
  override handleChainEnd(outputs: unknown, runId: string, _parentRunId?: string, _tags?: string[], kwargs?: { inputs?: Record<string, unknown> }): void {
    // A streamed run reports its inputs only at the end (LangChain's `lc_defers_inputs`).
    if (kwargs?.inputs !== undefined) this.runs.get(runId)?.span.setInputs(kwargs.inputs);
    this.end(runId, outputs);
  }
  override handleChainError(error: Error, runId: string): void {
    this.fail(runId, error);
  }

  private modelAttributes(extraParams: Record<string, unknown> | undefined, metadata: Record<string, unknown> | undefined): Record<string, unknown> {
    const params = (extraParams?.invocation_params ?? {}) as Record<string, unknown>;
    const attributes: Record<string, unknown> = { [SpanAttributeKey.MESSAGE_FORMAT]: 'langchain' };
    const model = params.model ?? params.model_name ?? params.modelName ?? metadata?.ls_model_name;
    if (typeof model === 'string') attributes[SpanAttributeKey.MODEL] = model;
    if (typeof metadata?.ls_provider === 'string') attributes[SpanAttributeKey.PROVIDER] = metadata.ls_provider;
    const tools = normalizeTools(params.tools);
    if (tools) attributes[SpanAttributeKey.CHAT_TOOLS] = tools;
    return attributes;
  }

  override handleChatModelStart(llm: Serialized, messages: unknown[][], runId: string, parentRunId?: string, extraParams?: Record<string, unknown>, _tags?: string[], metadata?: Record<string, unknown>, name?: string): void {
    const inputs = messages.map((list) => list.map(toChatMessage));
    this.start(runId, parentRunId, runName(llm, name, 'chat_model'), SpanType.CHAT_MODEL, inputs, this.modelAttributes(extraParams, metadata));
  }
  override handleLLMStart(llm: Serialized, prompts: string[], runId: string, parentRunId?: string, extraParams?: Record<string, unknown>, _tags?: string[], metadata?: Record<string, unknown>, name?: string): void {
    const attributes = this.modelAttributes(extraParams, metadata);
    delete attributes[SpanAttributeKey.MESSAGE_FORMAT];
    this.start(runId, parentRunId, runName(llm, name, 'llm'), SpanType.LLM, { prompts }, attributes);
  }
  override handleLLMNewToken(_token: string, _idx: unknown, runId: string): void {
    const run = this.runs.get(runId);
    if (!run || run.firstToken) return;
    run.firstToken = true;
    const now = nowNs();
    run.span.setAttribute(TIME_TO_FIRST_TOKEN_KEY, Number(now - run.span.startTimeUnixNano) / 1e6);
    run.span.addEvent({ name: FIRST_TOKEN_EVENT, timestamp: now });
  }
  override handleLLMEnd(output: unknown, runId: string): void {
    const { outputs, usage } = llmResultOutputs(output);
    this.end(runId, outputs, usage ? { [SpanAttributeKey.TOKEN_USAGE]: usage } : undefined);
  }
  override handleLLMError(error: Error, runId: string): void {
    this.fail(runId, error);
  }

  override handleToolStart(tool: Serialized, input: string, runId: string, parentRunId?: string, _tags?: string[], _metadata?: Record<string, unknown>, name?: string, toolCallId?: string): void {
    let inputs: unknown = input;
    try {
      inputs = typeof input === 'string' && /^[[{]/.test(input) ? JSON.parse(input) : input;
    } catch {
      /* keep the string */
    }
    this.start(runId, parentRunId, runName(tool, name, 'tool'), SpanType.TOOL, inputs, toolCallId ? { 'mlflow.tool.callId': toolCallId } : undefined);
  }
  override handleToolEnd(output: unknown, runId: string): void {
    const o = output as { content?: unknown; tool_call_id?: unknown } | null;
    // A ToolMessage: its content is the tool's result.
    this.end(runId, o && typeof o === 'object' && 'tool_call_id' in o ? toChatMessage(o) : output);
  }
  override handleToolError(error: Error, runId: string): void {
    this.fail(runId, error);
  }

  override handleRetrieverStart(retriever: Serialized, query: string, runId: string, parentRunId?: string, _tags?: string[], _metadata?: Record<string, unknown>, name?: string): void {
    this.start(runId, parentRunId, runName(retriever, name, 'retriever'), SpanType.RETRIEVER, { query });
  }
  override handleRetrieverEnd(documents: unknown[], runId: string): void {
    this.end(runId, Array.isArray(documents) ? documents.map(toDocument) : documents);
  }
  override handleRetrieverError(error: Error, runId: string): void {
    this.fail(runId, error);
  }
}

export type { AutologOptions, AutologResult } from '../common/autolog.js';

/** The handler autolog adds to every run; shared by both copies of @langchain/core. */
const HANDLER_KEY = Symbol.for('tracewright.langchain.handler');
function sharedHandler(): TracewrightCallbackHandler {
  const g = globalThis as unknown as Record<symbol, TracewrightCallbackHandler | undefined>;
  return (g[HANDLER_KEY] ??= new TracewrightCallbackHandler());
}

interface ManagerLike {
  handlers: Array<{ name?: string }>;
  addHandler(handler: unknown, inherit?: boolean): void;
}

function patchCopy(mod: Record<string, unknown> | undefined): boolean {
  const CallbackManager = mod?.CallbackManager as (Function & Record<string, unknown>) | undefined;
  if (typeof CallbackManager !== 'function' || typeof CallbackManager._configureSync !== 'function') return false;
  // CallbackManager.configure() and the runnables' config path both go through _configureSync.
  patchMethod(INTEGRATION, CallbackManager, '_configureSync', (original) =>
    function (this: unknown, ...args: unknown[]) {
      let manager = original.apply(this, args) as ManagerLike | undefined;
      try {
        if (!runtimeState().enabled) return manager;
        if (!manager) manager = new (CallbackManager as unknown as new () => ManagerLike)();
        if (!manager.handlers.some((h) => h.name === HANDLER_NAME)) manager.addHandler(sharedHandler(), true);
      } catch (error) {
        reportInternalError('langchain autolog: configure', error);
      }
      return manager;
    },
  );
  return true;
}

function patchModels(Base: unknown): boolean {
  const proto = (Base as { prototype?: object } | undefined)?.prototype;
  if (!proto) return false;
  return patchMethod(MODELS, proto, '_generateUncached', (original) =>
    function (this: unknown, ...args: unknown[]) {
      return runModelCall(original, this, args);
    },
  );
}

const callbacks = createAutolog({
  name: INTEGRATION,
  specifier: '@langchain/core/callbacks/manager',
  identity: 'CallbackManager',
  patchCopy,
});
const chatModels = createAutolog({
  name: MODELS,
  subpath: INTEGRATION,
  specifier: '@langchain/core/language_models/chat_models',
  identity: 'BaseChatModel',
  patchCopy: (mod) => patchModels(mod?.BaseChatModel),
});
const llms = createAutolog({
  name: MODELS,
  subpath: INTEGRATION,
  specifier: '@langchain/core/language_models/llms',
  identity: 'BaseLLM',
  patchCopy: (mod) => patchModels(mod?.BaseLLM),
});

/**
 * Adds the tracing handler to every LangChain run, in the CommonJS and ES module copies of
 * @langchain/core, and makes model runs current for the SDK calls they make. Idempotent;
 * `autolog({ disable: true })` undoes it.
 */
export function autolog(options: AutologOptions = {}): Promise<AutologResult> {
  return observeAwait(async (awaited) => {
    const [main] = await Promise.all([callbacks(options, awaited), chatModels(options, awaited), llms(options, awaited)]);
    return main;
  });
}
