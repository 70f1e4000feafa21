/**
 * `@tracewright/runtime/google-genai`: traces `@google/genai` — `models.generateContent`,
 * `models.generateContentStream` (span open until the stream is consumed or closed, time to
 * first token), `models.embedContent`, chats (`sendMessage` as a CHAT_MODEL span over its
 * LLM request; `sendMessageStream` through its LLM request) and function calling.
 *
 *   import { autolog } from '@tracewright/runtime/google-genai';
 *   autolog();
 *
 *   import { tracedGoogleGenAI } from '@tracewright/runtime/google-genai';
 *   tracedGoogleGenAI(ai); // this client only, instrumented in place
 *
 * The SDK is an optional peer dependency: nothing here imports it statically.
 */
import { createAutolog } from '../common/autolog.js';
import { instrumentObject } from '../common/in-place.js';
import { patchTracers } from '../common/patch-registry.js';
import { CHAT_TRACERS, MODEL_TRACERS } from './calls.js';

const INTEGRATION = 'google-genai';

export type { AutologOptions, AutologResult } from '../common/autolog.js';

type Ctor = Function & { prototype: object };

function patchCopy(mod: Record<string, unknown> | undefined): boolean {
  if (typeof mod?.GoogleGenAI !== 'function' || typeof mod.Models !== 'function') return false;
  patchTracers(INTEGRATION, (mod.Models as Ctor).prototype, MODEL_TRACERS);
  if (typeof mod.Chat === 'function') patchTracers(INTEGRATION, (mod.Chat as Ctor).prototype, CHAT_TRACERS);
  return true;
}

/**
 * Instruments `@google/genai` for every client (created before or after), in its CommonJS and
 * ES module copies. Idempotent; `autolog({ disable: true })` undoes it.
 */
export const autolog = createAutolog({ name: INTEGRATION, specifier: '@google/genai', identity: 'GoogleGenAI', patchCopy });

const TRACED_CHATS = Symbol.for('tracewright.googleGenai.chats');

/** Instruments one `GoogleGenAI` client in place (its models and the chats it creates) and returns it. */
export function tracedGoogleGenAI<T extends object>(client: T): T {
  const c = client as { models?: object; chats?: Record<PropertyKey, unknown> } | null;
  if (c === null || typeof c !== 'object' || !c.models || typeof c.models !== 'object') {
    throw new TypeError('tracedGoogleGenAI(client): expected a GoogleGenAI client instance (with .models)');
  }
  instrumentObject(c.models, MODEL_TRACERS);
  const chats = c.chats;
  if (chats && typeof chats.create === 'function' && !chats[TRACED_CHATS]) {
    const create = chats.create as (...args: unknown[]) => unknown;
    Object.defineProperty(chats, TRACED_CHATS, { value: true });
    Object.defineProperty(chats, 'create', {
      value: function (this: unknown, ...args: unknown[]) {
        const chat = create.apply(this, args);
        if (chat !== null && typeof chat === 'object') instrumentObject(chat, CHAT_TRACERS);
        return chat;
      },
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  return client;
}
