/**
 * `@tracewright/runtime/ax`: traces `@ax-llm/ax` (the TypeScript counterpart of DSPy) —
 * programs as CHAIN spans (`AxGen.forward`/`streamingForward`, `AxFlow.forward`), agents as
 * AGENT spans (`AxAgent.forward`), and every request a program makes through an AI service
 * (`AxBaseAI.chat`, so `ai({ name: ... })` of any provider) as an LLM span with the chat
 * prompt, functions, results, function calls and token usage; `embed` as EMBEDDING.
 *
 *   import { autolog } from '@tracewright/runtime/ax';
 *   autolog();
 *
 * ax calls providers with `fetch`, not through their SDKs, so its LLM spans are the only ones
 * (no double count with the OpenAI integration). Function (tool) executions are not separate
 * spans: ax runs them from instance fields a prototype patch cannot reach; the calls and
 * their results are on the LLM spans. The package is an optional peer dependency.
 */
import { SpanAttributeKey, SpanType } from '../../model/constants.js';
import { createAutolog } from '../common/autolog.js';
import { stepTracer, streamingStepTracer, type StepDescription } from '../common/framework-call.js';
import { traceSdkCall, type CallDescription, type CallResult, type StreamAssembler } from '../common/llm-call.js';
import { patchTracers } from '../common/patch-registry.js';
import { normalizeTokenUsage } from '../common/token-usage.js';
import { normalizeTools } from '../common/tools.js';
import { secretStrings } from '../common/redact.js';
import type { MethodTracer } from '../common/traced-client.js';

const INTEGRATION = 'ax';

export type { AutologOptions, AutologResult } from '../common/autolog.js';

interface AxService {
  getName?(): string;
}
interface AxFunctionCall {
  id?: string;
  type?: string;
  function?: { name?: string; params?: unknown };
}
interface AxResult {
  index?: number;
  id?: string;
  content?: string;
  thought?: string;
  functionCalls?: AxFunctionCall[];
  finishReason?: string;
}
interface AxResponse {
  results?: AxResult[];
  modelUsage?: { ai?: string; model?: string; tokens?: unknown };
  remoteId?: string;
}

function serviceName(self: unknown): string {
  try {
    const name = (self as AxService | null)?.getName?.();
    return typeof name === 'string' && name ? name : 'AxAI';
  } catch {
    return 'AxAI';
  }
}

/** The request as recorded: function handlers (code) are left out, their schemas kept. */
function requestInputs(req: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...req };
  if (Array.isArray(req.functions)) {
    out.functions = req.functions.map((f) => {
      const { func: _func, ...schema } = (f ?? {}) as Record<string, unknown>;
      return schema;
    });
  }
  return out;
}

function response(value: unknown): CallResult {
  const v = value as AxResponse | null;
  const model = v?.modelUsage?.model;
  return { outputs: value, usage: normalizeTokenUsage(v?.modelUsage?.tokens), attributes: typeof model === 'string' ? { [SpanAttributeKey.MODEL]: model } : undefined };
}

/** Builds the non-streamed response shape out of ax's stream deltas (content and function-call params arrive in pieces). */
function streamAssembler(): StreamAssembler {
  const results = new Map<number, AxResult & { calls: Map<string, AxFunctionCall> }>();
  let last: AxResponse = {};
  return {
    isToken(chunk) {
      return ((chunk as AxResponse | null)?.results ?? []).some((r) => !!r.content || (r.functionCalls?.length ?? 0) > 0);
    },
    add(chunk) {
      const c = (chunk ?? {}) as AxResponse;
      if (c.modelUsage) last = { ...last, modelUsage: c.modelUsage };
      if (c.remoteId) last = { ...last, remoteId: c.remoteId };
      for (const r of c.results ?? []) {
        const index = r.index ?? 0;
        let acc = results.get(index);
        if (!acc) results.set(index, (acc = { index, calls: new Map() }));
        if (r.id) acc.id = r.id;
        if (r.content) acc.content = (acc.content ?? '') + r.content;
        if (r.thought) acc.thought = (acc.thought ?? '') + r.thought;
        if (r.finishReason) acc.finishReason = r.finishReason;
        for (const [i, call] of (r.functionCalls ?? []).entries()) {
          const key = call.id ?? String(i);
          const prev = acc.calls.get(key);
          const params = typeof call.function?.params === 'string' && typeof prev?.function?.params === 'string' ? prev.function.params + call.function.params : (call.function?.params ?? prev?.function?.params);
          acc.calls.set(key, { id: call.id ?? prev?.id, type: call.type ?? prev?.type ?? 'function', function: { name: call.function?.name || prev?.function?.name, params } });
        }
      }
    },
    result() {
      const out: AxResponse = {
        ...last,
        results: [...results.values()].map(({ calls, ...r }) => (calls.size > 0 ? { ...r, functionCalls: [...calls.values()] } : r)),
      };
      return response(out);
    },
  };
}

function describeChat(kind: 'chat' | 'embed', self: unknown, args: unknown[]): CallDescription {
  const req = (args[0] ?? {}) as Record<string, unknown>;
  const name = serviceName(self);
  const chat = kind === 'chat';
  return {
    name: `${name}.${kind}`,
    spanType: chat ? SpanType.LLM : SpanType.EMBEDDING,
    provider: name.toLowerCase(),
    messageFormat: chat ? 'ax' : undefined,
    model: req.model,
    inputs: chat ? requestInputs(req) : req,
    tools: chat ? normalizeTools(req.functions) : undefined,
    response,
    stream: streamAssembler,
    // ax's errors quote the provider's response body, which may echo the key back.
    secrets: secretStrings(() => {
      const service = self as { aiImpl?: { apiKey?: unknown }; openAICompatibleApiKey?: unknown };
      return [service.aiImpl?.apiKey, service.openAICompatibleApiKey];
    }),
  };
}

const serviceTracer =
  (kind: 'chat' | 'embed'): MethodTracer =>
  (original, self, args) =>
    traceSdkCall((a) => describeChat(kind, self, a), original, self, args);

/** forward(ai, values, options): the values are the program's inputs. */
function describeProgram(kind: string, spanType: string, method: string) {
  return (self: unknown, args: unknown[]): StepDescription => {
    const program = self as { traceLabel?: unknown; getSignature?(): unknown; constructor?: { name?: string } };
    const label = typeof program.traceLabel === 'string' && program.traceLabel ? program.traceLabel : kind;
    const attributes: Record<string, unknown> = {};
    try {
      const signature = program.getSignature?.();
      if (signature !== undefined) attributes['ax.signature'] = String(signature);
    } catch {
      /* a program without a signature */
    }
    return { name: `${label}.${method}`, spanType, inputs: args[1], attributes };
  };
}

const programTracers = (kind: string, spanType: string) => ({
  forward: stepTracer(describeProgram(kind, spanType, 'forward')),
  streamingForward: streamingStepTracer(describeProgram(kind, spanType, 'streamingForward')),
});

function patchCopy(mod: Record<string, unknown> | undefined): boolean {
  const proto = (name: string) => (mod?.[name] as { prototype?: object } | undefined)?.prototype;
  const base = proto('AxBaseAI');
  const gen = proto('AxGen');
  if (!base || !gen) return false;
  patchTracers(INTEGRATION, base, { chat: serviceTracer('chat'), embed: serviceTracer('embed') });
  patchTracers(INTEGRATION, gen, programTracers('AxGen', SpanType.CHAIN));
  const agent = proto('AxAgent');
  if (agent) patchTracers(INTEGRATION, agent, programTracers('AxAgent', SpanType.AGENT));
  const flow = proto('AxFlow');
  if (flow) patchTracers(INTEGRATION, flow, programTracers('AxFlow', SpanType.CHAIN));
  return true;
}

/** Instruments `@ax-llm/ax` (all programs and AI services, created before or after). Idempotent; `autolog({ disable: true })` undoes it. */
export const autolog = createAutolog({ name: INTEGRATION, specifier: '@ax-llm/ax', identity: 'AxGen', patchCopy });
