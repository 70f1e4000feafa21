/**
 * `@tracewright/runtime/bedrock`: traces `@aws-sdk/client-bedrock-runtime` — Converse,
 * ConverseStream, InvokeModel and InvokeModelWithResponseStream sent through
 * `client.send(command)` (and the aggregated `BedrockRuntime` client's methods, which send the
 * same commands). Other commands pass through untraced. Streams keep their span open until
 * consumed or closed, with time to first token.
 *
 *   import { autolog } from '@tracewright/runtime/bedrock';
 *   autolog();
 *
 *   import { tracedBedrockRuntime } from '@tracewright/runtime/bedrock';
 *   tracedBedrockRuntime(client); // this client only, instrumented in place
 *
 * The SDK is an optional peer dependency: nothing here imports it statically.
 */
import { traceSdkCall } from '../common/llm-call.js';
import { createAutolog } from '../common/autolog.js';
import { instrumentObject } from '../common/in-place.js';
import { patchTracers } from '../common/patch-registry.js';
import type { MethodTracer } from '../common/traced-client.js';
import { COMMAND_KINDS, describeCommand, type CommandKind } from './commands.js';

const INTEGRATION = 'bedrock';

export type { AutologOptions, AutologResult } from '../common/autolog.js';

const KIND_BY_NAME = new Map<string, CommandKind>(COMMAND_KINDS.map((k) => [`${k}Command`, k]));

function kindOf(command: unknown): CommandKind | undefined {
  if (command === null || typeof command !== 'object') return undefined;
  let proto = Object.getPrototypeOf(command) as { constructor?: { name?: unknown } } | null;
  // A subclass of a Bedrock command is still that command.
  for (let depth = 0; proto && depth < 4; depth++, proto = Object.getPrototypeOf(proto)) {
    const name = proto.constructor?.name;
    const kind = typeof name === 'string' ? KIND_BY_NAME.get(name) : undefined;
    if (kind) return kind;
  }
  return undefined;
}

/**
 * `send(command, options?)`: the callback forms (`send(command, cb)`, `send(command, options, cb)`)
 * return nothing to follow and pass through untraced.
 */
const traceSend: MethodTracer = (original, self, args) => {
  const command = args[0] as { input?: unknown } | undefined;
  const kind = kindOf(command);
  if (!kind || args.some((a) => typeof a === 'function')) return original.apply(self, args);
  return traceSdkCall(() => describeCommand(kind, (command!.input ?? {}) as Record<string, unknown>), original, self, args);
};

type Ctor = Function & { prototype: Record<string, unknown> };

function patchCopy(mod: Record<string, unknown> | undefined): boolean {
  const Client = mod?.BedrockRuntimeClient as Ctor | undefined;
  if (typeof Client !== 'function') return false;
  patchTracers(INTEGRATION, Client.prototype, { send: traceSend });
  return true;
}

/**
 * Instruments `@aws-sdk/client-bedrock-runtime` for every client (created before or after).
 * Idempotent; `autolog({ disable: true })` undoes it.
 */
export const autolog = createAutolog({ name: INTEGRATION, specifier: '@aws-sdk/client-bedrock-runtime', identity: 'BedrockRuntimeClient', patchCopy });

/** Instruments one `BedrockRuntimeClient` (or `BedrockRuntime`) in place and returns it. */
export function tracedBedrockRuntime<T extends object>(client: T): T {
  if (client === null || typeof client !== 'object' || typeof (client as { send?: unknown }).send !== 'function') {
    throw new TypeError('tracedBedrockRuntime(client): expected a BedrockRuntimeClient instance (with .send)');
  }
  return instrumentObject(client, { send: traceSend });
}
