/**
 * `@tracewright/runtime/mastra`: traces Mastra (`@mastra/core` 0.24 and 1.x) through its own
 * AI-tracing (observability) events — agent runs (AGENT), model generations (CHAT_MODEL, usage
 * of the whole generation) and their steps (LLM: one model request each, with its usage), tool
 * and MCP tool calls (TOOL), workflow runs and steps (CHAIN).
 *
 *   import { mastraExporter } from '@tracewright/runtime/mastra';
 *   // 0.24:
 *   new Mastra({ agents, observability: { configs: { app: { serviceName: 'app', exporters: [mastraExporter()] } } } });
 *   // 1.x (`@mastra/observability`):
 *   new Mastra({ agents, observability: new Observability({ configs: { app: { serviceName: 'app', exporters: [mastraExporter()] } } }) });
 *
 *   // or, for a Mastra that already has an observability config (any exporter):
 *   import { autolog } from '@tracewright/runtime/mastra';
 *   autolog();
 *
 * Mastra reports a span's start and end synchronously where the span starts and ends, so a
 * run started inside one of the program's spans nests under it. Mastra calls models by `fetch`
 * (AI SDK providers), so an OpenAI autolog on as well adds nothing; a generation's tokens count
 * once (the trace sums the outermost span that carries usage). Streaming chunks are not spans.
 */
import { SpanAttributeKey, SpanType } from '../../model/constants.js';
import { currentFrame } from '../../core/context.js';
import { reportInternalError } from '../../core/diagnostics.js';
import type { LiveSpan } from '../../core/live-span.js';
import { observePromise } from '../../core/promise-observer.js';
import type { ContextFrame } from '../../core/state.js';
import { beginSpan } from '../../core/tracer.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createMultiAutolog, type SdkIntegration } from '../common/autolog.js';
import { patchTracers } from '../common/patch-registry.js';
import { normalizeTokenUsage } from '../common/token-usage.js';
import { maskRecordedException } from '../common/llm-call.js';
import { secretStrings } from '../common/redact.js';
import type { MethodTracer } from '../common/traced-client.js';

export type { AutologOptions, AutologResult } from '../common/autolog.js';

const INTEGRATION = 'mastra';

/** What Mastra hands an exporter (`AITracingEvent` with its `exportedSpan`). */
interface MastraSpan {
  id: string;
  traceId?: string;
  name: string;
  type: string;
  attributes?: Record<string, unknown>;
  input?: unknown;
  output?: unknown;
  errorInfo?: { message?: string; name?: string; id?: string; domain?: string; category?: string };
  isEvent?: boolean;
  parentSpanId?: string;
}
interface MastraEvent {
  type: 'span_started' | 'span_updated' | 'span_ended' | string;
  exportedSpan: MastraSpan;
}

const SPAN_TYPES: Record<string, string> = {
  agent_run: SpanType.AGENT,
  model_generation: SpanType.CHAT_MODEL,
  model_step: SpanType.LLM,
  tool_call: SpanType.TOOL,
  mcp_tool_call: SpanType.TOOL,
  workflow_run: SpanType.CHAIN,
  workflow_step: SpanType.CHAIN,
  workflow_conditional: SpanType.CHAIN,
  workflow_conditional_eval: SpanType.CHAIN,
  workflow_parallel: SpanType.CHAIN,
  workflow_loop: SpanType.CHAIN,
  workflow_sleep: SpanType.CHAIN,
  workflow_wait_event: SpanType.CHAIN,
  processor_run: SpanType.CHAIN,
  generic: SpanType.UNKNOWN,
};

/**
 * Not spans of their own; a child of one goes under its nearest recorded ancestor. A chunk is
 * a streamed piece of output (far too many to be spans); 1.x's model inference is the request
 * inside a model step, which already carries its usage and output.
 */
const FOLDED = new Set(['model_chunk', 'model_inference']);

interface Open {
  span: LiveSpan;
  /** model/provider of a generation, for its steps. */
  model?: Record<string, unknown>;
  parentId?: string;
  /** The autologged agent call a root span started in (see failCall). */
  call?: AgentCall;
  /** The program's frame the Mastra root of this span started in. */
  rootFrame: ContextFrame | undefined;
}

/** An autologged agent call: an identity, and the agent whose model keys an error may quote. */
interface AgentCall {
  agent: unknown;
}

/** Ended and folded spans remembered for late children (bounded: the oldest are forgotten first). */
const MAX_REMEMBERED = 10_000;

function remember<V>(map: Map<string, V>, id: string, value: V): void {
  map.set(id, value);
  if (map.size > MAX_REMEMBERED) map.delete(map.keys().next().value!);
}

/** One exporter's (or autolog's) view of Mastra's spans, by Mastra span id. */
class MastraBridge {
  private readonly open = new Map<string, Open>();
  /** Ended span id → its parent id and the frame its Mastra root started in. */
  private readonly ended = new Map<string, { parentId?: string; rootFrame: ContextFrame | undefined; call?: AgentCall }>();
  /** Open FOLDED span id → its parent id. */
  private readonly folded = new Map<string, string | undefined>();

  /** `appKeys`: the API keys of the agents this bridge's Mastra app has (masked in errors). */
  constructor(private readonly appKeys: () => string[] = () => []) {}

  handle(event: MastraEvent): void {
    const s = event?.exportedSpan;
    if (!s || typeof s.id !== 'string') return;
    if (FOLDED.has(s.type)) {
      if (event.type === 'span_started') remember(this.folded, s.id, s.parentSpanId);
      else if (event.type === 'span_ended') this.folded.delete(s.id);
      return;
    }
    // Mastra hands the same span object to its other exporters: read, never changed.
    const parentId = typeof s.parentSpanId === 'string' ? this.recordedAncestor(s.parentSpanId) : undefined;
    if (event.type === 'span_started') this.start(s, parentId);
    else if (event.type === 'span_ended') {
      if (!this.open.has(s.id) && s.isEvent) this.start(s, parentId); // an event span is only ever "ended"
      this.end(s);
    }
  }

  private recordedAncestor(id: string): string | undefined {
    let current: string | undefined = id;
    for (let hops = 0; current !== undefined && this.folded.has(current) && hops < 64; hops++) current = this.folded.get(current);
    return current;
  }

  private start(s: MastraSpan, parentId: string | undefined): void {
    if (this.open.has(s.id)) return;
    let parent = parentId ? this.open.get(parentId) : undefined;
    let late: { rootFrame: ContextFrame | undefined; call?: AgentCall } | undefined;
    if (!parent && parentId) {
      // A span that starts after its parent ended: under the nearest open ancestor, else where
      // its Mastra root started — never under whatever context Mastra happens to run it in.
      for (let id: string | undefined = parentId, hops = 0; id && !parent && hops < 64; hops++) {
        parent = this.open.get(id);
        const record = this.ended.get(id);
        late ??= record;
        id = record?.parentId;
      }
    }
    const attributes: Record<string, unknown> = { 'mastra.span.type': s.type };
    const a = s.attributes ?? {};
    let model: Record<string, unknown> | undefined;
    if (s.type === 'model_generation') {
      model = {};
      if (typeof a.model === 'string') model[SpanAttributeKey.MODEL] = a.model;
      if (typeof a.provider === 'string') model[SpanAttributeKey.PROVIDER] = a.provider;
    }
    Object.assign(attributes, model ?? (s.type === 'model_step' ? parent?.model : undefined));
    // A root Mastra span starts inside the program's call: it nests under the program's active span.
    const rootFrame = parent ? parent.rootFrame : late ? late.rootFrame : currentFrame();
    const span = beginSpan({ name: s.name, spanType: SPAN_TYPES[s.type] ?? SpanType.UNKNOWN, inputs: s.input, attributes, parent: parent?.span }, parent ? undefined : rootFrame);
    this.open.set(s.id, { span, model, parentId, rootFrame, call: parent ? parent.call : late ? late.call : agentCalls.getStore() });
  }

  /**
   * An agent call failed: Mastra 0.24 then ends neither its run span nor reports the error.
   * The spans still open from that call end with the error the program got.
   */
  failCall(call: AgentCall, error: unknown): void {
    const failed = [...this.open].filter(([, open]) => open.call === call);
    for (const [, open] of failed) {
      open.span.recordException(error);
      maskRecordedException(open.span, this.keysFor(open));
    }
    for (const [id] of failed) this.end({ id, name: '', type: '' });
  }

  /** The keys an error of this span may quote: its agent call's, and those of the app's agents. */
  private keysFor(open: Open): string[] {
    return [...(open.call ? modelKeys(open.call.agent) : []), ...this.appKeys()];
  }

  private end(s: MastraSpan): void {
    const open = this.open.get(s.id);
    if (!open) return;
    this.open.delete(s.id);
    remember(this.ended, s.id, { parentId: open.parentId, rootFrame: open.rootFrame, call: open.call });
    const { span } = open;
    // Mastra leaves a failed run's inner spans (its model step, a generation) open: they end with it.
    for (const [id, child] of this.open) {
      if (child.parentId !== s.id) continue;
      this.end({ id, name: '', type: '', errorInfo: s.errorInfo });
    }
    const usage = normalizeTokenUsage(s.attributes?.usage);
    if (usage) span.setAttribute(SpanAttributeKey.TOKEN_USAGE, usage);
    if (s.errorInfo) {
      const error = new Error(s.errorInfo.message ?? 'Mastra span failed');
      // 1.x reports the error's class name; 0.24 only Mastra's error id.
      error.name = s.errorInfo.name ?? s.errorInfo.id ?? 'Error';
      span.recordException(error);
      maskRecordedException(span, this.keysFor(open));
    }
    span.end(s.output !== undefined ? { outputs: s.output } : {});
  }
}

/** Mastra's exporter interface (0.24 `AITracingExporter`, 1.x `ObservabilityExporter`), as much of it as Mastra calls. */
export interface MastraExporter {
  name: string;
  /** Mastra hands the exporter its app when the app starts: its agents' keys are masked in errors. */
  init(options: unknown): void;
  /** 0.24's call for each span event. */
  exportEvent(event: unknown): Promise<void>;
  /** 1.x's name for the same call. */
  exportTracingEvent(event: unknown): Promise<void>;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

function safeHandle(bridge: MastraBridge, event: unknown): void {
  try {
    bridge.handle(event as MastraEvent);
  } catch (error) {
    reportInternalError('mastra: export event', error);
  }
}

/** An exporter for Mastra's observability config that records Mastra's spans as tracewright spans. */
export function mastraExporter(): MastraExporter {
  let app: unknown;
  const bridge = new MastraBridge(() => appAgents(app).flatMap(modelKeys));
  const exportEvent = (event: unknown): Promise<void> => {
    safeHandle(bridge, event);
    return Promise.resolve();
  };
  const done = () => Promise.resolve();
  return {
    name: 'tracewright',
    init: (options) => void (app = (options as { mastra?: unknown } | null)?.mastra),
    exportEvent,
    exportTracingEvent: exportEvent,
    flush: done,
    shutdown: done,
  };
}

/** The agents of a Mastra app (1.x `listAgents()`, 0.24 `getAgents()`); never throws. */
function appAgents(app: unknown): unknown[] {
  try {
    const mastra = app as { listAgents?: () => unknown; getAgents?: () => unknown } | undefined;
    const agents = typeof mastra?.listAgents === 'function' ? mastra.listAgents() : mastra?.getAgents?.();
    return agents && typeof agents === 'object' ? Object.values(agents) : [];
  } catch {
    return [];
  }
}

// autolog: every Mastra tracing instance also feeds one bridge (0.24 calls `this.exportEvent`,
// 1.x `this.emitTracingEvent`, for each span event, synchronously, before handing the event to
// its own exporters), and agent calls are watched for failures Mastra 0.24 does not report.
const sharedBridge = new MastraBridge();
/** The agent call the current code runs in, for failCall and the keys to mask. */
const agentCalls = new AsyncLocalStorage<AgentCall>();

const feedBridge: MethodTracer = (original, self, args) => {
  safeHandle(sharedBridge, args[0]);
  return original.apply(self, args);
};

const tracingModule: SdkIntegration = {
  name: INTEGRATION,
  specifier: '@mastra/core/ai-tracing',
  identity: 'BaseAITracing',
  patchCopy(mod) {
    const base = (mod?.BaseAITracing as { prototype?: object } | undefined)?.prototype;
    if (!base) return false;
    patchTracers(INTEGRATION, base, { exportEvent: feedBridge });
    return true;
  },
};

/** 1.x: every observability instance (`@mastra/observability`) emits its span events through here. */
const observabilityModule: SdkIntegration = {
  name: `${INTEGRATION}:observability`,
  specifier: '@mastra/observability',
  identity: 'BaseObservabilityInstance',
  subpath: INTEGRATION,
  patchCopy(mod) {
    const base = (mod?.BaseObservabilityInstance as { prototype?: object } | undefined)?.prototype;
    if (!base || typeof (base as Record<string, unknown>).emitTracingEvent !== 'function') return false;
    patchTracers(`${INTEGRATION}:observability`, base, { emitTracingEvent: feedBridge });
    return true;
  },
};

/** The API key(s) of an agent's model config (`{ id, url, apiKey }`, or fallbacks of those): provider errors may quote them. */
function modelKeys(agent: unknown): string[] {
  return secretStrings(() => {
    const model = (agent as { model?: unknown } | null)?.model;
    const configs = Array.isArray(model) ? model.map((m) => (m as { model?: unknown })?.model ?? m) : [model];
    return configs.map((c) => (c as { apiKey?: unknown } | null)?.apiKey);
  });
}

const agentCall: MethodTracer = (original, self, args) => {
  if (agentCalls.getStore()) return original.apply(self, args); // an entry point calling another
  const call: AgentCall = { agent: self };
  const result = agentCalls.run(call, () => original.apply(self, args));
  // Observed without changing whether the program's promise counts as handled.
  if (result instanceof Promise) observePromise(result, undefined, () => undefined, (error) => sharedBridge.failCall(call, error));
  return result;
};

const agentModule: SdkIntegration = {
  name: `${INTEGRATION}:agent`,
  specifier: '@mastra/core/agent',
  subpath: INTEGRATION,
  identity: 'Agent',
  patchCopy(mod) {
    const proto = (mod?.Agent as { prototype?: object } | undefined)?.prototype;
    if (!proto) return false;
    const methods = ['generate', 'stream', 'generateVNext', 'streamVNext', 'generateLegacy', 'streamLegacy'].filter((k) => typeof (proto as Record<string, unknown>)[k] === 'function');
    patchTracers(`${INTEGRATION}:agent`, proto, Object.fromEntries(methods.map((k) => [k, agentCall])));
    return true;
  },
};

/**
 * Records the spans of every Mastra instance that has an observability config (the exporters
 * it names still get every event), and ends a failed agent call's spans with its error.
 * Idempotent; `autolog({ disable: true })` undoes it.
 */
export const autolog = createMultiAutolog(INTEGRATION, [tracingModule, observabilityModule, agentModule]);
