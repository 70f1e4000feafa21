/**
 * `@tracewright/runtime/anthropic`: traces `@anthropic-ai/sdk` messages — `messages.create`
 * (plain and `stream: true`, tool use) and the `messages.stream()` helper, which goes through
 * `create` — plus the beta messages API.
 *
 *   import { autolog } from '@tracewright/runtime/anthropic';
 *   await autolog();
 *
 *   import { tracedAnthropic } from '@tracewright/runtime/anthropic';
 *   const client = tracedAnthropic(new Anthropic());
 *
 * The SDK is an optional peer dependency: nothing here imports it statically.
 */
import { SpanType } from '../../model/constants.js';
import { traceSdkCall, type CallDescription, type CallResult } from '../common/llm-call.js';
import { createAutolog } from '../common/autolog.js';
import { patchMethod } from '../common/patch-registry.js';
import { normalizeTokenUsage } from '../common/token-usage.js';
import { normalizeTools } from '../common/tools.js';
import { traceClient, type MethodTracer } from '../common/traced-client.js';
import { messageAssembler } from './message-stream.js';

const INTEGRATION = 'anthropic';
const SDK = '@anthropic-ai/sdk';

export type { AutologOptions, AutologResult } from '../common/autolog.js';

function response(value: unknown): CallResult {
  return { outputs: value, usage: normalizeTokenUsage((value as { usage?: unknown } | null)?.usage) };
}

function describe(args: unknown[]): CallDescription {
  const params = (args[0] ?? {}) as Record<string, unknown>;
  return {
    name: 'Messages',
    spanType: SpanType.LLM,
    provider: 'anthropic',
    messageFormat: 'anthropic',
    model: params.model,
    inputs: params,
    tools: normalizeTools(params.tools),
    response,
    stream: messageAssembler,
  };
}

const traceMessages: MethodTracer = (original, self, args) => traceSdkCall(describe, original, self, args);

type Ctor = Function & { prototype: Record<string, unknown> } & Record<string, unknown>;
function patchCopy(mod: Record<string, unknown> | undefined): boolean {
  const Anthropic = (mod?.Anthropic ?? mod?.default) as Ctor | undefined;
  if (typeof Anthropic !== 'function') return false;
  const Beta = Anthropic.Beta as Ctor | undefined;
  for (const cls of [Anthropic.Messages as Ctor | undefined, Beta?.Messages as Ctor | undefined]) {
    if (typeof cls !== 'function') continue;
    patchMethod(INTEGRATION, cls.prototype, 'create', (original) =>
      function (this: unknown, ...args: unknown[]) {
        return traceMessages(original, this, args);
      },
    );
  }
  return true;
}

/**
 * Instruments `@anthropic-ai/sdk` for every client, in its CommonJS and ES module copies.
 * Idempotent; the CommonJS copy is patched before this returns, the ES module copy when the
 * promise resolves. `autolog({ disable: true })` undoes it.
 */
export const autolog = createAutolog({ name: INTEGRATION, specifier: SDK, identity: 'Anthropic', patchCopy });

/** Wraps one Anthropic client for tracing, without patching the SDK. */
export function tracedAnthropic<T extends object>(client: T): T {
  if (client === null || typeof client !== 'object') throw new TypeError('tracedAnthropic(client): expected an Anthropic client instance');
  return traceClient(client, { 'messages.create': traceMessages, 'beta.messages.create': traceMessages });
}
