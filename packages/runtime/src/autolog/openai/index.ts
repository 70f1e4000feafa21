/**
 * `@tracewright/runtime/openai`: traces the `openai` SDK — chat completions (incl. streaming
 * and tool calls), the Responses API, embeddings and legacy completions.
 *
 *   import { autolog } from '@tracewright/runtime/openai';
 *   await autolog();                      // every client, created before or after
 *
 *   import { tracedOpenAI } from '@tracewright/runtime/openai';
 *   const client = tracedOpenAI(new OpenAI()); // just this client
 *
 * The `openai` package is an optional peer dependency: nothing here imports it statically.
 */
import { createAutolog } from '../common/autolog.js';
import { patchMethod } from '../common/patch-registry.js';
import { traceClient } from '../common/traced-client.js';
import { TRACERS } from './calls.js';

const INTEGRATION = 'openai';

export type { AutologOptions, AutologResult } from '../common/autolog.js';

type Ctor = Function & { prototype: Record<string, unknown> } & Record<string, unknown>;

function patchCopy(mod: Record<string, unknown> | undefined): boolean {
  const OpenAI = (mod?.OpenAI ?? mod?.default) as Ctor | undefined;
  if (typeof OpenAI !== 'function') return false;
  const Chat = OpenAI.Chat as Ctor | undefined;
  const targets: Array<[Ctor | undefined, keyof typeof TRACERS]> = [
    [Chat?.Completions as Ctor | undefined, 'chat'],
    [OpenAI.Responses as Ctor | undefined, 'responses'],
    [OpenAI.Embeddings as Ctor | undefined, 'embeddings'],
    [OpenAI.Completions as Ctor | undefined, 'completions'],
  ];
  for (const [cls, kind] of targets) {
    if (typeof cls !== 'function') continue;
    const tracer = TRACERS[kind];
    patchMethod(INTEGRATION, cls.prototype, 'create', (original) =>
      function (this: unknown, ...args: unknown[]) {
        return tracer(original, this, args);
      },
    );
  }
  return true;
}

/**
 * Instruments the `openai` SDK for every client, in both its CommonJS and ES module copies.
 * Idempotent. The CommonJS copy is patched before this returns; await the promise for the ES
 * module copy (it is loaded with `import()`). `autolog({ disable: true })` undoes it.
 */
export const autolog = createAutolog({ name: INTEGRATION, specifier: 'openai', identity: 'OpenAI', patchCopy });

/** Wraps one OpenAI client (or AzureOpenAI, or any Stainless-compatible client) for tracing. */
export function tracedOpenAI<T extends object>(client: T): T {
  if (client === null || typeof client !== 'object') throw new TypeError('tracedOpenAI(client): expected an OpenAI client instance');
  return traceClient(client, {
    'chat.completions.create': TRACERS.chat,
    'responses.create': TRACERS.responses,
    'embeddings.create': TRACERS.embeddings,
    'completions.create': TRACERS.completions,
  });
}
