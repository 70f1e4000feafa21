/**
 * `@tracewright/runtime/ai-sdk`: traces the Vercel AI SDK.
 *
 * `ai` 7 (Node >= 22): zero-config. `autolog()` (awaited or not, before or after the SDK is
 * imported) registers tracewright's telemetry integration in the SDK's global list, which the
 * SDK reads on every call; see telemetry-integration.ts. A call that passes its own
 * `telemetry.integrations` replaces the global list (the SDK's rule): add `aiSdkIntegration()`
 * to that list to keep it traced. `telemetry: { isEnabled: false }` turns a call's tracing off.
 *
 * `ai` 5/6 — generateText,
 * streamText, generateObject, streamObject, embed/embedMany, rerank, tool calls and multi-step
 * loops — through the SDK's own telemetry hook. Pass the settings on each call:
 *
 *   import { aiSdkTelemetry } from '@tracewright/runtime/ai-sdk';
 *   await generateText({ model, prompt, experimental_telemetry: aiSdkTelemetry() });
 *
 * Or once, without touching each call: take the SDK's functions through `tracedAiSdk()`:
 *
 *   import * as ai from 'ai';
 *   export const { generateText, streamText, generateObject, streamObject, embed, embedMany } = tracedAiSdk(ai);
 *
 * Why per call: in `ai` 5/6 telemetry is off unless a call enables it, and the SDK's functions
 * cannot be patched (their ES module and bundled CommonJS exports are read-only bindings). Its
 * global `registerTelemetryIntegration()` listeners get no per-call id and no error event, so
 * concurrent calls and failed calls could not be told apart from them. Nothing is registered
 * globally here: no OpenTelemetry provider, no context manager.
 *
 * Spans: `ai.generateText` etc. (CHAIN), each model call `ai.*.doGenerate` / `.doStream` (LLM,
 * with token usage, model, provider, tool definitions, time to first chunk), each tool
 * execution (TOOL, named after the tool), `ai.embed*` (EMBEDDING).
 *
 * Known gap: when a streamText/streamObject stream is aborted or cancelled, the SDK never ends
 * its own spans; tracewright then ends them as unfinished when the surrounding trace's root has
 * ended and its 30 s wait for open spans runs out, or at process exit.
 */
import { createAiSdkTracer, type TracerLike } from './otel-tracer.js';
import { createAiSdkIntegration, type AiSdkIntegration } from './telemetry-integration.js';
import { autologRecord } from '../common/autolog-record.js';
import { resolveCopy } from '../common/sdk-modules.js';
import type { AutologOptions, AutologResult } from '../common/autolog.js';

export interface AiSdkTelemetryOptions {
  /** Recorded by the SDK as `ai.telemetry.functionId` (and in span names of some versions). */
  functionId?: string;
  /** Recorded by the SDK as `ai.telemetry.metadata.*`. */
  metadata?: Record<string, string | number | boolean>;
  /** false: the SDK leaves prompts out (span inputs stay empty). */
  recordInputs?: boolean;
  /** false: the SDK leaves responses out (span outputs stay empty). */
  recordOutputs?: boolean;
}

export interface AiSdkTelemetrySettings extends AiSdkTelemetryOptions {
  isEnabled: true;
  /** What `ai` 5/6 records through (`ai` 7 ignores it). */
  tracer: TracerLike;
  /** What `ai` 7 records through (`ai` 6 calls it too, with events it ignores: see telemetry-integration.ts). */
  integrations: AiSdkIntegration[];
}

let shared: TracerLike | undefined;

/** The tracer alone, for callers that build `experimental_telemetry` themselves. */
export function aiSdkTracer(): TracerLike {
  return (shared ??= createAiSdkTracer());
}

/**
 * `experimental_telemetry` settings that record the call as tracewright spans, with `ai` 5/6
 * (through `tracer`) and `ai` 7 (through `integrations`, without autolog(): a call's own list
 * replaces the global one, so the call is recorded once either way).
 */
export function aiSdkTelemetry(options: AiSdkTelemetryOptions = {}): AiSdkTelemetrySettings {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('aiSdkTelemetry(options): options must be an object like { functionId?, metadata?, recordInputs?, recordOutputs? }');
  }
  return { ...options, isEnabled: true, tracer: aiSdkTracer(), integrations: [aiSdkIntegration()] };
}

/** The AI SDK functions that accept `experimental_telemetry`. */
const TELEMETRY_FUNCTIONS = ['generateText', 'streamText', 'generateObject', 'streamObject', 'embed', 'embedMany', 'rerank'] as const;

/**
 * The AI SDK module's functions with `experimental_telemetry: aiSdkTelemetry()` filled in when a
 * call gives none (a call's own settings win). The SDK itself is not modified; everything else
 * in the module is passed through as is.
 */
export function tracedAiSdk<M extends object>(sdk: M): M {
  if (sdk === null || typeof sdk !== 'object') throw new TypeError("tracedAiSdk(sdk): expected the AI SDK module, e.g. tracedAiSdk(await import('ai'))");
  const out: Record<string, unknown> = { ...(sdk as Record<string, unknown>) };
  for (const name of TELEMETRY_FUNCTIONS) {
    const fn = out[name];
    if (typeof fn !== 'function') continue;
    out[name] = function (this: unknown, options: unknown, ...rest: unknown[]) {
      const withTelemetry =
        options !== null && typeof options === 'object' && (options as { experimental_telemetry?: unknown }).experimental_telemetry === undefined
          ? { ...(options as object), experimental_telemetry: aiSdkTelemetry() }
          : options;
      return (fn as Function).call(this, withTelemetry, ...rest);
    };
  }
  return out as M;
}

let integration: AiSdkIntegration | undefined;

/** `ai` 7's telemetry integration recording calls as tracewright spans (one serves every call). */
export function aiSdkIntegration(): AiSdkIntegration {
  return (integration ??= createAiSdkIntegration());
}

/** The SDK's global integration list (`registerTelemetry()` from 'ai' appends to the same array). */
function globalIntegrations(create: boolean): unknown[] | undefined {
  const g = globalThis as { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] };
  if (!Array.isArray(g.AI_SDK_TELEMETRY_INTEGRATIONS) && create) g.AI_SDK_TELEMETRY_INTEGRATIONS = [];
  return g.AI_SDK_TELEMETRY_INTEGRATIONS;
}

/**
 * `ai` 7: traces every AI SDK call from now on, idempotently; `{ disable: true }` removes the
 * integration again. Registration is synchronous, so a plain `autolog()` without `await` is
 * enough. On `ai` 5/6 this records nothing (their global listeners carry no call id): use
 * aiSdkTelemetry() or tracedAiSdk() there.
 */
export async function autolog(options: AutologOptions = {}): Promise<AutologResult> {
  if (options === null || typeof options !== 'object') throw new TypeError('ai-sdk autolog(options): options must be an object like { disable?: boolean }');
  const record = autologRecord('ai-sdk');
  const list = globalIntegrations(!options.disable);
  const at = list ? list.indexOf(aiSdkIntegration()) : -1;
  if (options.disable) {
    if (list && at >= 0) list.splice(at, 1);
    record.disabled = true;
    return { copies: 0, patchedMethods: 0 };
  }
  record.calls++;
  record.disabled = false;
  record.resolved = resolveCopy('ai');
  record.copies = 1;
  if (at < 0) list!.push(aiSdkIntegration());
  return { copies: 1, patchedMethods: 0 };
}
