/**
 * Traces one SDK API call (`chat.completions.create`, `messages.create`, ...) through the
 * core's one span path: the span is begun with `beginSpan`, is the active span while the SDK
 * runs, and ends when the response is parsed — or, for a streamed response, when the stream
 * is consumed, closed early, fails or is aborted, with the output assembled from its chunks.
 *
 * Stainless-generated SDKs (openai, @anthropic-ai/sdk) return an `APIPromise`, a Promise
 * subclass with helpers (`withResponse()`, `asResponse()`, `_thenUnwrap()` used by the SDK's
 * own `parse()`/`stream()` helpers). We hand back a genuine APIPromise made with
 * `_thenUnwrap`, so every helper keeps working, and the SDK's Stream object itself (its
 * iterator factory traced) so `tee()`, `toReadableStream()` and `controller` keep working.
 */
import { SpanAttributeKey, type SpanType } from '../../model/constants.js';
import type { TokenUsage } from '../../model/span.js';
import { SpanStatus } from '../../model/span-status.js';
import { nowNs } from '../../core/clock.js';
import { currentFrame } from '../../core/context.js';
import { reportInternalError } from '../../core/diagnostics.js';
import { isTraceableIterable, traceIteratorFactory, wrapIterable, type StreamObserver } from '../../core/iterators.js';
import { setKnownOutcome } from '../../core/known-outcomes.js';
import { NO_OP_SPAN, type LiveSpan } from '../../core/live-span.js';
import { runtimeState, type ContextFrame } from '../../core/state.js';
import { beginSpan, frameFor } from '../../core/tracer.js';
import { withoutSecrets } from './redact.js';
import type { ChatTool } from './tools.js';
import { defer } from '../../platform/timers.js';

/** Attribute holding the time from the request to the first streamed token, in ms. */
export const TIME_TO_FIRST_TOKEN_KEY = 'mlflow.llm.timeToFirstTokenMs';
/** Event marking the arrival of the first streamed token. */
export const FIRST_TOKEN_EVENT = 'first_token';
/** Event added when the caller aborted a stream before it finished. */
export const STREAM_ABORTED_EVENT = 'stream_aborted';

/** What a finished call (or assembled stream) contributes to its span. */
export interface CallResult {
  outputs: unknown;
  usage?: TokenUsage;
  /** Extra attributes, e.g. the model that actually answered. */
  attributes?: Record<string, unknown>;
}

/** Builds a response out of streamed chunks. */
export interface StreamAssembler {
  add(chunk: unknown): void;
  /** True for the first chunk that carries generated content (text or a tool call). */
  isToken(chunk: unknown): boolean;
  result(): CallResult;
}

export interface CallDescription {
  name: string;
  spanType: SpanType;
  provider: string;
  messageFormat?: string;
  model?: unknown;
  /** The request body (credential-looking fields are dropped before recording). */
  inputs: unknown;
  tools?: ChatTool[];
  /** What a complete (non-streamed) response contributes to the span. */
  response(value: unknown): CallResult;
  /** A fresh assembler for a streamed response. */
  stream(): StreamAssembler;
  /**
   * For responses that carry their stream in a property (AWS SDK: `stream`, `body`): that
   * property's name. Its iteration is traced and the span ends with the stream; the response
   * object itself is returned as is.
   */
  streamProperty?: string;
  /**
   * Credentials of the client making the call, for SDKs that keep them elsewhere than a
   * Stainless client's `_client.apiKey`: masked wherever an error message quotes them.
   */
  secrets?: readonly string[];
}

function applyResult(span: LiveSpan, result: CallResult): void {
  if (result.attributes) span.setAttributes(result.attributes);
  if (result.usage) span.setAttribute(SpanAttributeKey.TOKEN_USAGE, result.usage);
  if (result.outputs !== undefined) span.setOutputs(result.outputs);
}

function startAttributes(call: CallDescription): Record<string, unknown> {
  const attributes: Record<string, unknown> = { [SpanAttributeKey.PROVIDER]: call.provider };
  if (typeof call.model === 'string') attributes[SpanAttributeKey.MODEL] = call.model;
  if (call.messageFormat) attributes[SpanAttributeKey.MESSAGE_FORMAT] = call.messageFormat;
  if (call.tools) attributes[SpanAttributeKey.CHAT_TOOLS] = call.tools;
  return attributes;
}

/**
 * Calls `original` with `args` on `self` inside a span described by `describe(args)`.
 * Tracing failures are reported, never thrown; the SDK's own errors propagate unchanged.
 */
export function traceSdkCall(describe: (args: unknown[]) => CallDescription, original: Function, self: unknown, args: unknown[]): unknown {
  const state = runtimeState();
  if (!state.enabled) return original.apply(self, args);
  const parentFrame = currentFrame();
  if (parentFrame?.scope?.enabled === false) return original.apply(self, args);
  let call: CallDescription;
  let span: LiveSpan;
  try {
    call = describe(args);
    span = beginSpan({ name: call.name, spanType: call.spanType, inputs: withoutSecrets(call.inputs), attributes: startAttributes(call) }, parentFrame);
  } catch (error) {
    reportInternalError('autolog: begin span', error);
    return original.apply(self, args);
  }
  const frame = frameFor(span, parentFrame);
  const secrets = call.secrets ? [...clientSecrets(self), ...call.secrets.filter((k) => typeof k === 'string' && k.length >= 8)] : clientSecrets(self);
  let result: unknown;
  try {
    result = state.als.run(frame, () => original.apply(self, args));
  } catch (error) {
    fail(span, error, secrets);
    throw error;
  }
  if (span === NO_OP_SPAN) return result;
  try {
    return observe(span, frame, call, result, secrets);
  } catch (error) {
    reportInternalError('autolog: observe result', error);
    return result;
  }
}

interface ApiPromiseLike {
  responsePromise: Promise<unknown>;
  _thenUnwrap(transform: (value: unknown) => unknown): unknown;
}

function isApiPromise(value: unknown): value is ApiPromiseLike {
  return (
    value instanceof Promise &&
    typeof (value as unknown as ApiPromiseLike)._thenUnwrap === 'function' &&
    (value as unknown as ApiPromiseLike).responsePromise instanceof Promise
  );
}

/** The API key of the SDK client making the call (Stainless clients keep it at `_client.apiKey`). */
function clientSecrets(self: unknown): string[] {
  try {
    const client = (self as { _client?: { apiKey?: unknown; authToken?: unknown } } | null)?._client;
    return [client?.apiKey, client?.authToken].filter((k): k is string => typeof k === 'string' && k.length >= 8);
  } catch {
    return [];
  }
}

/**
 * Records an SDK error. Some servers echo the credential in their error message (e.g. an
 * invalid key); it is masked before it reaches the span.
 */
function fail(span: LiveSpan, error: unknown, secrets: readonly string[]): void {
  span.recordException(error);
  maskRecordedException(span, secrets);
  if (secrets.length > 0 && error !== null && typeof error === 'object') maskedErrors.set(error, secrets);
  span.end();
}

/** Errors whose text may quote a credential, with the credentials: the framework spans they pass through mask them too. */
const maskedErrors = new WeakMap<object, readonly string[]>();

/** The credentials to mask in `error` (or an error it wraps as `cause`) if an SDK call recorded it, else undefined. */
export function secretsOfError(error: unknown): readonly string[] | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e !== null && typeof e === 'object'; depth++) {
    const secrets = maskedErrors.get(e);
    if (secrets) return secrets;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function maskRecordedException(span: LiveSpan, secrets: readonly string[]): void {
  if (secrets.length === 0) return;
  const mask = (text: string) => secrets.reduce((t, secret) => t.split(secret).join('[REDACTED]'), text);
  const last = span.events.length - 1;
  const event = span.events[last];
  if (event) {
    const attributes = Object.fromEntries(Object.entries(event.attributes).map(([k, v]) => [k, typeof v === 'string' ? mask(v) : v]));
    span.events[last] = { ...event, attributes };
  }
  if (span.status.description) span.status = new SpanStatus(span.status.statusCode, mask(span.status.description));
}

function observe(span: LiveSpan, frame: ContextFrame, call: CallDescription, result: unknown, secrets: string[]): unknown {
  const onValue = (value: unknown) => settleValue(span, frame, call, value, secrets);
  if (isApiPromise(result)) {
    // A traced function of the program that returns this APIPromise follows its outcome.
    let resolveOutcome!: (value: unknown) => void;
    let rejectOutcome!: (error: unknown) => void;
    const outcome = new Promise((resolve, reject) => {
      resolveOutcome = resolve;
      rejectOutcome = reject;
    });
    // HTTP errors (after the SDK's retries) reject the response promise; the caller still
    // sees the rejection through the promise we return.
    result.responsePromise.then(undefined, (error) => {
      fail(span, error, secrets);
      rejectOutcome(error);
    });
    const unwrapped = result._thenUnwrap((value) => {
      const out = onValue(value);
      resolveOutcome(out);
      return out;
    }) as object;
    setKnownOutcome(unwrapped, outcome);
    return unwrapped;
  }
  if (result instanceof Promise) {
    return result.then(onValue, (error) => {
      fail(span, error, secrets);
      throw error;
    });
  }
  return onValue(result);
}

function settleValue(span: LiveSpan, frame: ContextFrame, call: CallDescription, value: unknown, secrets: string[]): unknown {
  try {
    if (isStream(value)) return traceStream(span, frame, call.stream(), value, secrets);
    const held = call.streamProperty !== undefined && value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[call.streamProperty] : undefined;
    if (isStream(held)) {
      (value as Record<string, unknown>)[call.streamProperty!] = traceStream(span, frame, call.stream(), held, secrets);
      return value;
    }
    applyResult(span, call.response(value));
  } catch (error) {
    reportInternalError('autolog: record response', error);
  }
  span.end();
  return value;
}

interface SdkStream {
  iterator?: () => AsyncIterator<unknown>;
  controller?: { signal?: AbortSignal };
  [Symbol.asyncIterator](): AsyncIterator<unknown>;
}

function isStream(value: unknown): value is SdkStream {
  return value !== null && typeof value === 'object' && Symbol.asyncIterator in value && (isTraceableIterable(value) || isWebStream(value));
}

/** A web ReadableStream subclass an SDK returns to be iterated with `for await` (e.g. Mistral's EventStream). */
function isWebStream(value: object): boolean {
  return typeof (value as { getReader?: unknown }).getReader === 'function' && typeof (value as SdkStream)[Symbol.asyncIterator] === 'function';
}

/**
 * An SDK stream object that is async-iterable but not itself an iterator (Ollama's
 * AbortableAsyncIterator, Cohere's Stream, Mistral's EventStream): its `[Symbol.asyncIterator]`
 * is replaced by a traced one on the object itself, so the program keeps the SDK's own object
 * (a web stream's readers and pipes too, see traceReaders). Undefined when the object
 * cannot take the property (frozen) or is an iterator (then the caller wraps it).
 */
function traceOwnIteration(stream: SdkStream, frame: ContextFrame, observer: StreamObserver): SdkStream | undefined {
  // An iterator is wrapped by the caller, unless its own `[Symbol.asyncIterator]` was replaced
  // (LlamaIndex's LLM event wrapper does so): `for await` goes through that one, so it is traced.
  const ownFactory = Object.prototype.hasOwnProperty.call(stream, Symbol.asyncIterator);
  if ((typeof (stream as { next?: unknown }).next === 'function' && !ownFactory) || !Object.isExtensible(stream)) return undefined;
  const originalFactory = stream[Symbol.asyncIterator];
  const traced = traceIteratorFactory(() => originalFactory.call(stream), frame, observer);
  Object.defineProperty(stream, Symbol.asyncIterator, { value: traced.factory, writable: true, configurable: true, enumerable: false });
  if (isWebStream(stream)) traceReaders(stream as unknown as ReadableStream<unknown>, frame, observer);
  return stream;
}

/**
 * A web stream read through `getReader()` or piped (`pipeThrough`, `pipeTo`, `tee`; ax does
 * both): the reader the SDK hands out is kept, and its `read()`/`cancel()` become own
 * properties that go through a traced iterator, so the span ends when the reader sees the end,
 * fails or cancels. A pipe reads through such a reader (via a plain pass-through stream), since
 * the platform's pipes read the stream internally. A reader released before the end leaves the
 * span to the unfinished-span rule. BYOB readers are not traced.
 */
function traceReaders(stream: ReadableStream<unknown>, frame: ContextFrame, observer: StreamObserver): void {
  const own = (key: string, value: Function) => Object.defineProperty(stream, key, { value, writable: true, configurable: true, enumerable: false });
  const originalGetReader = stream.getReader;
  own('getReader', function getReader(this: ReadableStream<unknown>, ...args: unknown[]) {
    const reader = (originalGetReader as (...a: unknown[]) => ReadableStreamDefaultReader<unknown>).apply(this, args);
    if (args[0] !== undefined || !Object.isExtensible(reader)) return reader;
    const read = reader.read;
    const cancel = reader.cancel;
    const source: AsyncIterator<unknown> = {
      next: () => read.call(reader) as Promise<IteratorResult<unknown>>,
      return: (reason?: unknown) => cancel.call(reader, reason).then(() => ({ done: true as const, value: undefined })),
    };
    const iterator = traceIteratorFactory(() => source, frame, observer).factory() as AsyncIterator<unknown>;
    Object.defineProperty(reader, 'read', { value: () => iterator.next(), writable: true, configurable: true, enumerable: false });
    Object.defineProperty(reader, 'cancel', { value: (reason?: unknown) => iterator.return!(reason).then(() => undefined), writable: true, configurable: true, enumerable: false });
    return reader;
  });
  for (const key of ['pipeThrough', 'pipeTo', 'tee'] as const) {
    const original = stream[key] as Function;
    own(key, function (this: ReadableStream<unknown>, ...args: unknown[]) {
      // A locked stream: the platform's own method throws its own error.
      if (this !== stream || stream.locked) return original.apply(this, args);
      return original.apply(throughTracedReader(stream), args);
    });
  }
}

/** A pass-through stream that pulls `stream` through its (traced) `getReader()`. */
function throughTracedReader(stream: ReadableStream<unknown>): ReadableStream<unknown> {
  const reader = stream.getReader();
  return new ReadableStream<unknown>(
    {
      pull: (controller) =>
        reader.read().then((r) => {
          if (r.done) controller.close();
          else controller.enqueue(r.value);
        }),
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

function streamObserver(span: LiveSpan, assembler: StreamAssembler, signal: AbortSignal | undefined, secrets: string[]): StreamObserver {
  let firstToken = false;
  let ended = false;
  return {
    item(chunk) {
      if (!firstToken && assembler.isToken(chunk)) {
        firstToken = true;
        const now = nowNs();
        span.setAttribute(TIME_TO_FIRST_TOKEN_KEY, Number(now - span.startTimeUnixNano) / 1e6);
        span.addEvent({ name: FIRST_TOKEN_EVENT, timestamp: now });
      }
      assembler.add(chunk);
    },
    end(s, error) {
      if (ended) return;
      ended = true;
      if (error !== undefined) maskRecordedException(s, secrets);
      if (!error && signal?.aborted) s.addEvent({ name: STREAM_ABORTED_EVENT });
      applyResult(s, assembler.result());
    },
  };
}

function traceStream(span: LiveSpan, frame: ContextFrame, assembler: StreamAssembler, stream: SdkStream, secrets: string[]): unknown {
  const signal = stream.controller?.signal;
  const observer = streamObserver(span, assembler, signal instanceof AbortSignal ? signal : undefined, secrets);
  if (typeof stream.iterator !== 'function') return traceOwnIteration(stream, frame, observer) ?? wrapIterable(stream, frame, observer);
  // A Stainless Stream: its iteration, tee() and toReadableStream() all call `this.iterator()`.
  // Replacing that one factory traces them all and leaves the object (class, private fields,
  // controller) untouched.
  const originalFactory = stream.iterator;
  const traced = traceIteratorFactory(() => originalFactory.call(stream), frame, observer);
  stream.iterator = traced.factory as () => AsyncIterator<unknown>;
  // Aborted while nobody is reading: nothing will call next() again, so end the span here.
  // Deferred a macrotask: when a reader is active, the SDK also aborts on its own errors and
  // the iteration's outcome (done, or the error) must be recorded first.
  if (signal instanceof AbortSignal) {
    const finishLater = () => defer(traced.finish);
    if (signal.aborted) finishLater();
    else signal.addEventListener('abort', finishLater, { once: true });
  }
  return stream;
}
