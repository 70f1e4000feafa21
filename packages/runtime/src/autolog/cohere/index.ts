/**
 * `@tracewright/runtime/cohere`: traces `cohere-ai` v2 — `chat`, `chatStream` (span open until
 * the stream is consumed or closed, time to first token, tool calls), `embed` and `rerank`
 * (a RERANKER span with the documents and their relevance scores), through `CohereClientV2`
 * or `CohereClient#v2`.
 *
 *   import { autolog } from '@tracewright/runtime/cohere';
 *   autolog();
 *
 *   import { tracedCohere } from '@tracewright/runtime/cohere';
 *   tracedCohere(client); // this client only, instrumented in place
 *
 * The SDK is an optional peer dependency: nothing here imports it statically.
 */
import { traceSdkCall } from '../common/llm-call.js';
import { createAutolog } from '../common/autolog.js';
import { instrumentObject } from '../common/in-place.js';
import { patchTracers } from '../common/patch-registry.js';
import type { MethodTracer } from '../common/traced-client.js';
import { describe, type Kind } from './calls.js';

const INTEGRATION = 'cohere';

export type { AutologOptions, AutologResult } from '../common/autolog.js';

const tracer =
  (kind: Kind): MethodTracer =>
  (original, self, args) =>
    traceSdkCall((a) => describe(kind, a, self), original, self, args);

const TRACERS = { __chat: tracer('chat'), __chatStream: tracer('chatStream'), __embed: tracer('embed'), __rerank: tracer('rerank') } as const;

function patchCopy(mod: Record<string, unknown> | undefined): boolean {
  const ClientV2 = mod?.CohereClientV2 as (new (options: object) => { clientV2?: object }) | undefined;
  if (typeof ClientV2 !== 'function') return false;
  // The V2 resource class is not exported: found through a client made without sending anything.
  const proto = Object.getPrototypeOf(new ClientV2({ token: 'unused' }).clientV2 ?? {}) as object;
  patchTracers(INTEGRATION, proto, TRACERS);
  return true;
}

/** Instruments `cohere-ai` v2 for every client (created before or after). Idempotent; `autolog({ disable: true })` undoes it. */
export const autolog = createAutolog({ name: INTEGRATION, specifier: 'cohere-ai', identity: 'CohereClientV2', patchCopy });

/** Instruments one `CohereClientV2` (or `CohereClient`, through its `v2`) in place and returns it. */
export function tracedCohere<T extends object>(client: T): T {
  const c = client as { clientV2?: object; v2?: object } | null;
  const v2 = c?.clientV2 ?? c?.v2;
  if (!v2 || typeof v2 !== 'object') throw new TypeError('tracedCohere(client): expected a CohereClientV2 or CohereClient instance');
  instrumentObject(v2, TRACERS);
  return client;
}
