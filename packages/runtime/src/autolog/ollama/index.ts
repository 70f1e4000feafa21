/**
 * `@tracewright/runtime/ollama`: traces the `ollama` client — `chat` and `generate` (plain and
 * `stream: true`: the NDJSON stream keeps its span open until consumed, closed or aborted, with
 * time to first token and tool calls), `embed` and `embeddings`.
 *
 *   import { autolog } from '@tracewright/runtime/ollama';
 *   autolog();                        // also the default `ollama` instance
 *
 *   import { tracedOllama } from '@tracewright/runtime/ollama';
 *   tracedOllama(client);             // this client only, instrumented in place
 *
 * The SDK is an optional peer dependency: nothing here imports it statically.
 */
import { SpanAttributeKey, SpanType } from '../../model/constants.js';
import { traceSdkCall, type CallDescription, type CallResult, type StreamAssembler } from '../common/llm-call.js';
import { createAutolog } from '../common/autolog.js';
import { instrumentObject } from '../common/in-place.js';
import { patchTracers } from '../common/patch-registry.js';
import { normalizeTokenUsage } from '../common/token-usage.js';
import { normalizeTools } from '../common/tools.js';
import type { MethodTracer } from '../common/traced-client.js';
import { secretStrings } from '../common/redact.js';

const INTEGRATION = 'ollama';
const PROVIDER = 'ollama';

export type { AutologOptions, AutologResult } from '../common/autolog.js';

type Message = { role?: string; content?: string; thinking?: string; tool_calls?: unknown[] };
type Chunk = Record<string, unknown> & { model?: string; message?: Message; response?: string; thinking?: string; done?: boolean };

function modelAttribute(value: Chunk | null | undefined): Record<string, unknown> | undefined {
  return typeof value?.model === 'string' ? { [SpanAttributeKey.MODEL]: value.model } : undefined;
}

function response(value: unknown): CallResult {
  const v = value as Chunk | null;
  return { outputs: value, usage: normalizeTokenUsage(v), attributes: modelAttribute(v) };
}

/** Concatenates streamed `message.content`/`thinking` (chat) or `response`/`thinking` (generate); the final chunk's stats are kept. */
function ndjsonAssembler(): StreamAssembler {
  let last: Chunk = {};
  let content = '';
  let response = '';
  let thinking = '';
  let role = 'assistant';
  let chat = false;
  const toolCalls: unknown[] = [];
  return {
    isToken: (c) => {
      const chunk = c as Chunk;
      return !!chunk?.message?.content || !!chunk?.message?.tool_calls?.length || !!chunk?.response;
    },
    add(c) {
      const chunk = c as Chunk;
      if (!chunk || typeof chunk !== 'object') return;
      last = chunk;
      if (chunk.message) {
        chat = true;
        if (chunk.message.role) role = chunk.message.role;
        content += chunk.message.content ?? '';
        thinking += chunk.message.thinking ?? '';
        toolCalls.push(...(chunk.message.tool_calls ?? []));
      }
      if (typeof chunk.response === 'string') response += chunk.response;
      if (typeof chunk.thinking === 'string') thinking += chunk.thinking;
    },
    result(): CallResult {
      const outputs: Record<string, unknown> = chat
        ? { ...last, message: { role, content, ...(thinking ? { thinking } : {}), ...(toolCalls.length ? { tool_calls: toolCalls } : {}) } }
        : { ...last, response, ...(thinking ? { thinking } : {}) };
      return { outputs, usage: normalizeTokenUsage(last), attributes: modelAttribute(last) };
    },
  };
}

type Kind = 'chat' | 'generate' | 'embed' | 'embeddings';

/** A bearer token the client sends (Ollama's cloud), to mask where an error quotes it. */
function tokenOf(self: unknown): string[] {
  return secretStrings(() => {
    const headers = (self as { config?: { headers?: Record<string, unknown> } } | null)?.config?.headers ?? {};
    return Object.entries(headers)
      .filter(([k]) => /^authorization$/i.test(k))
      .map(([, v]) => String(v).replace(/^Bearer\s+/i, ''));
  });
}

function describe(kind: Kind, args: unknown[], self: unknown): CallDescription {
  const params = (args[0] ?? {}) as Record<string, unknown>;
  const embedding = kind === 'embed' || kind === 'embeddings';
  return {
    name: kind,
    spanType: embedding ? SpanType.EMBEDDING : SpanType.LLM,
    provider: PROVIDER,
    messageFormat: kind === 'chat' ? 'ollama' : undefined,
    model: params.model,
    inputs: params,
    tools: kind === 'chat' ? normalizeTools(params.tools) : undefined,
    response,
    stream: ndjsonAssembler,
    secrets: tokenOf(self),
  };
}

const tracer =
  (kind: Kind): MethodTracer =>
  (original, self, args) =>
    traceSdkCall((a) => describe(kind, a, self), original, self, args);

const TRACERS = { chat: tracer('chat'), generate: tracer('generate'), embed: tracer('embed'), embeddings: tracer('embeddings') } as const;

/** The prototype in `proto`'s chain that defines `key` (the browser client class, which the Node one extends). */
function definingPrototype(proto: object | null, key: string): object | undefined {
  for (let p = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) if (Object.prototype.hasOwnProperty.call(p, key)) return p;
  return undefined;
}

function patchCopy(mod: Record<string, unknown> | undefined): boolean {
  const Ollama = mod?.Ollama as (Function & { prototype: object }) | undefined;
  if (typeof Ollama !== 'function') return false;
  for (const [key, t] of Object.entries(TRACERS)) {
    const target = definingPrototype(Ollama.prototype, key);
    if (target) patchTracers(INTEGRATION, target, { [key]: t });
  }
  return true;
}

/** Instruments `ollama` for every client, including the default instance. Idempotent; `autolog({ disable: true })` undoes it. */
export const autolog = createAutolog({ name: INTEGRATION, specifier: 'ollama', identity: 'Ollama', patchCopy });

/** Instruments one `Ollama` client in place and returns it. */
export function tracedOllama<T extends object>(client: T): T {
  if (client === null || typeof client !== 'object' || typeof (client as { chat?: unknown }).chat !== 'function') {
    throw new TypeError('tracedOllama(client): expected an Ollama client instance (with .chat)');
  }
  return instrumentObject(client, TRACERS);
}
