import { SpanLink, type SpanLinkParams } from '../model/span-link.js';
import {
  EXCEPTION_EVENT,
  NO_OP_SPAN_TRACE_ID,
  SpanAttributeKey,
  SpanLogLevel,
  SpanStatusCode,
  toSpanLogLevel,
  TracewrightKey,
  SpanType,
  type UnfinishedReason,
} from '../model/constants.js';
import { decodeAttribute, Span, type EventAttributeValue, type SpanEvent, type SpanFields } from '../model/span.js';
import { defaultLogLevelForSpanType } from '../model/span-log-level.js';
import { SpanStatus, toSpanStatus } from '../model/span-status.js';
import { monoSpanNs, monoToNs, nowMono, nowNs } from './clock.js';
import { reportInternalError, reportUnfinishedSpan } from './diagnostics.js';
import { inheritsFromProxy, memberValue } from './data-property.js';
import { BigIntCtor, ErrorCtor, isProxy, jsonStringify } from './intrinsics.js';
import { serialize } from './serialize.js';
import { runSpanHooks } from './span-hooks.js';
import { runtimeState } from './state.js';
import type { TraceBuffer } from './trace-buffer.js';

export interface SpanEventInit {
  name: string;
  attributes?: Record<string, EventAttributeValue>;
  /** ns since the epoch (MLflow's `SpanEvent.timestamp`); default now. */
  timestamp?: number | bigint;
}

/** What `setStatus` / `end({ status })` accept: MLflow's forms, plus the short code names. */
export type SpanStatusInput = SpanStatus | SpanStatusCode | 'OK' | 'ERROR' | 'UNSET' | { statusCode: string; description?: string };

export interface EndSpanOptions {
  outputs?: unknown;
  attributes?: Record<string, unknown>;
  status?: SpanStatusInput;
  /** ns since the epoch; default now. */
  endTimeNs?: number | bigint;
}

/** A time in ns since the epoch as MLflow takes it (number) or exactly (bigint). */
export function isNsTime(value: unknown): value is number | bigint {
  return typeof value === 'bigint' ? value >= 0n : typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * A program-given ns time as a bigint; undefined (→ "now") when it is not a finite
 * non-negative number, reported once so a unit mistake is visible without breaking the program.
 */
export function toNs(value: number | bigint | undefined, what: string): bigint | undefined {
  if (value === undefined || value === null) return undefined;
  if (isNsTime(value)) return typeof value === 'bigint' ? value : BigInt(Math.trunc(value));
  reportInternalError('span time', new TypeError(`${what} must be a non-negative number or bigint of ns since the epoch, got ${describeValue(value)}; used the current time`));
  return undefined;
}

function describeValue(value: unknown): string {
  try {
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'string') return JSON.stringify(value);
    if (typeof value === 'object' && value !== null) return jsonStringify(value) ?? String(value);
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Reading `error.stack` formats it, and a formatted error no longer tells Node where it was
 * thrown: an uncaught error's crash report would then point into Node's internals instead of the
 * program's own line. So the stack is read when the event is exported, not when it is recorded.
 */
function lazyStack(attributes: Record<string, EventAttributeValue>, error: Error): void {
  Object.defineProperty(attributes, 'exception.stacktrace', {
    enumerable: true,
    configurable: true,
    get() {
      let stack = '';
      try {
        stack = String(error.stack ?? '');
      } catch {
        stack = '';
      }
      Object.defineProperty(attributes, 'exception.stacktrace', { value: stack, enumerable: true, writable: true, configurable: true });
      return stack;
    },
  });
}

/** The id a JSON-encoded trace id attribute holds (ours have no escapes: `"tr-<hex>"`). */
function decodedTraceId(encoded: string): string {
  return encoded.length > 2 && encoded.indexOf('\\') === -1 ? encoded.slice(1, -1) : String(decodeAttribute(encoded));
}

// Shared: a SpanStatus is immutable (readonly fields), and nearly every span has one of these.
const UNSET_STATUS = new SpanStatus(SpanStatusCode.UNSET);
const OK_STATUS = new SpanStatus(SpanStatusCode.OK);

// Every traced call ends a span: its default log level is looked up by the encoded span type
// instead of decoding the type and encoding a level each time.
const defaultLevelByEncodedType = new Map<string | undefined, string>();
/**
 * Span types viewers show as a conversation (as encoded): their values are recorded in full
 * (within the trace's budget), never as a reference to an earlier span, so each call's messages
 * read whole.
 */
const ENCODED_LLM = jsonStringify(SpanType.LLM);
const ENCODED_CHAT_MODEL = jsonStringify(SpanType.CHAT_MODEL);

function encodedDefaultLogLevel(encodedType: string | undefined): string {
  let level = defaultLevelByEncodedType.get(encodedType);
  if (level === undefined) {
    const type = decodeAttribute(encodedType);
    level = jsonStringify(defaultLogLevelForSpanType(typeof type === 'string' ? type : undefined));
    if (defaultLevelByEncodedType.size < 1_000) defaultLevelByEncodedType.set(encodedType, level);
  }
  return level;
}

// Most spans never get an event or a link: they share these (frozen, so nothing can add to
// another span's list through them) until their first one.
const NO_EVENTS = Object.freeze([]) as unknown as SpanEvent[];
const NO_LINKS = Object.freeze([]) as unknown as SpanLink[];

interface SpanExtras {
  /** A status other than the default (UNSET while open, OK once ended). */
  status?: SpanStatus | undefined;
  events?: SpanEvent[];
  links?: SpanLink[];
  onUnfinished?: ((reason: UnfinishedReason) => void) | undefined;
}

const LIVE_FIELDS: SpanFields = {
  traceId: '',
  spanId: '',
  parentId: null,
  name: '',
  startTimeUnixNano: 0n,
  endTimeUnixNano: null,
  status: UNSET_STATUS,
  encodedAttributes: {},
  events: NO_EVENTS,
  links: NO_LINKS,
};

/**
 * A plain object for a span's attributes with room for the ones nearly every span gets (trace
 * id, type, function name, inputs, outputs, log level) inside it: instances of a constructor get
 * their size from the properties earlier instances ended up with, where `{}` has room for four
 * and moves the rest to a second array. Its prototype is Object.prototype, as `{}`'s is.
 */
const AttributeRecord = function AttributeRecord() {} as unknown as new () => Record<string, string>;
AttributeRecord.prototype = Object.prototype;
function newAttributes(): Record<string, string> {
  return new AttributeRecord();
}

const UNFINISHED_MESSAGE: Record<UnfinishedReason, string> = {
  abandoned: 'the span was still open when the program dropped its last reference to it',
  timeout: "the span was still open when its trace's wait for unfinished spans ran out",
  exit: 'the span was still open when the process ended',
};

/**
 * A span that is still being recorded. Values are serialized when they are set (not when
 * the trace is exported) so later mutation of an argument cannot rewrite history.
 */
export class LiveSpan extends Span {
  /**
   * Its trace: the buffer while the trace is in progress. Once the trace is exported (the buffer
   * need not live as long as the span is held), the shared finished stand-in, the id then being
   * read back from the span's `mlflow.traceRequestId` attribute; or the id itself, as for a
   * no-op span.
   */
  private trace: TraceBuffer | string;
  /**
   * The start as the monotonic clock read it (see clock.ts nowMono), or as ns since the epoch
   * when the program gave it: no BigInt is made on the call path, only when read.
   */
  private startAt: number | bigint;
  /**
   * null while open. For a start read from the clock, the whole ns from start to end (a small
   * integer, which V8 keeps in the field itself where a fractional reading would take a
   * separately allocated number); else, or when the program gave the end, ns since the epoch.
   */
  private endAt: number | bigint | null = null;
  /** What few spans have (a set status, events, links, an unfinished handler): one slot, made on first use. */
  private more: SpanExtras | undefined;

  /** @internal Use startSpan / withSpan / trace to create spans. */
  constructor(buffer: TraceBuffer | undefined, traceId: string, spanId: string, parentId: string | null, name: string, startAt: number | bigint) {
    // Span's constructor copies the fields out of the object it is given: a shared one saves an
    // allocation per span (nothing it runs can re-enter here).
    const fields = LIVE_FIELDS;
    fields.traceId = traceId;
    fields.spanId = spanId;
    fields.parentId = parentId;
    fields.name = name;
    fields.encodedAttributes = newAttributes();
    super(fields);
    this.startAt = startAt;
    this.trace = buffer ?? traceId;
    if (buffer) this.encodedAttributes[SpanAttributeKey.TRACE_ID] = buffer.encodedTraceId;
  }

  /**
   * Set by TraceBuffer: what `buffer` is for a span whose trace was exported (a buffer that
   * says it is finished).
   */
  static finishedBuffer: TraceBuffer | undefined;

  override get traceId(): string {
    const trace = this.trace;
    if (typeof trace === 'string') return trace;
    if (trace !== LiveSpan.finishedBuffer) return trace.traceId;
    const encoded = this.encodedAttributes[SpanAttributeKey.TRACE_ID];
    return typeof encoded === 'string' ? decodedTraceId(encoded) : '';
  }
  override set traceId(traceId: string) {
    // Span's constructor sets it (the constructor above then keeps the buffer instead), or a
    // program that means to: the id given is kept as it is.
    this.trace = traceId;
  }
  /** @internal The trace in progress, or a finished stand-in once the trace was exported. */
  get buffer(): TraceBuffer | undefined {
    const trace = this.trace;
    return typeof trace === 'string' ? LiveSpan.finishedBuffer : trace;
  }
  /**
   * @internal Lets go of the buffer of its exported trace (see TraceBuffer.take). True when the
   * span holds nothing of the program's but recorded texts (no event, whose error it would keep
   * alive, no link).
   */
  detachFromTrace(finished: TraceBuffer): boolean {
    const trace = this.trace;
    if (typeof trace !== 'string' && trace !== finished) {
      // The id can be read back from the attribute while it is still the one the buffer gave.
      this.trace = this.encodedAttributes[SpanAttributeKey.TRACE_ID] === trace.encodedTraceId ? finished : trace.traceId;
    }
    const more = this.more;
    return more === undefined || (more.events === undefined && more.links === undefined);
  }

  // Span's time fields, derived from the readings. Span's constructor assigns them: the setters
  // keep what it gives until the constructor above sets the real start.
  override get startTimeUnixNano(): bigint {
    const at = this.startAt;
    return typeof at === 'bigint' ? at : monoToNs(at);
  }
  override set startTimeUnixNano(ns: bigint) {
    // An end kept relative to the start must not move with it.
    if (typeof this.endAt === 'number') this.endAt = this.endTimeUnixNano;
    this.startAt = ns;
  }
  override get endTimeUnixNano(): bigint | null {
    const at = this.endAt;
    return typeof at === 'number' ? this.startTimeUnixNano + BigIntCtor(at) : at;
  }
  override set endTimeUnixNano(ns: bigint | null) {
    this.endAt = ns;
  }

  // Span's status: nearly every span has the default one, which the end time tells.
  override get status(): SpanStatus {
    return this.more?.status ?? this.defaultStatus;
  }
  override set status(status: SpanStatus) {
    if (this.more || status !== this.defaultStatus) (this.more ??= {}).status = status;
  }
  private get defaultStatus(): SpanStatus {
    // (`endAt` is still undefined while Span's constructor sets the initial status.)
    return (this.endAt ?? null) === null ? UNSET_STATUS : OK_STATUS;
  }

  // Span's list fields, kept in `more`: nearly every span has neither, and every held span
  // would otherwise pay two slots for them.
  override get events(): SpanEvent[] {
    return this.more?.events ?? NO_EVENTS;
  }
  override set events(events: SpanEvent[]) {
    if (events !== NO_EVENTS || this.more) (this.more ??= {}).events = events;
  }
  override get links(): SpanLink[] {
    return this.more?.links ?? NO_LINKS;
  }
  override set links(links: SpanLink[]) {
    if (links !== NO_LINKS || this.more) (this.more ??= {}).links = links;
  }
  /**
   * @internal Ends the span when tracewright must end it (see {@link endUnfinished}); set by
   * whoever can record more than a bare end (a generator's recorder records its items).
   */
  get onUnfinished(): ((reason: UnfinishedReason) => void) | undefined {
    return this.more?.onUnfinished;
  }
  set onUnfinished(handler: ((reason: UnfinishedReason) => void) | undefined) {
    if (handler || this.more) (this.more ??= {}).onUnfinished = handler;
  }

  /** false for the no-op spans handed out while tracing is disabled or sampled out. */
  get isRecording(): boolean {
    return this.endAt === null;
  }
  override get isEnded(): boolean {
    return this.endAt !== null;
  }

  private encode(value: unknown, field: string): string {
    const state = runtimeState();
    if (this.buffer) {
      const type = this.encodedAttributes[SpanAttributeKey.SPAN_TYPE];
      return this.buffer.budget.encode(value, state, this.name, field, type !== ENCODED_LLM && type !== ENCODED_CHAT_MODEL);
    }
    return serialize(value, { maxChars: state.maxValueChars });
  }

  setInputs(inputs: unknown): this {
    if (this.endAt === null) this.encodedAttributes[SpanAttributeKey.INPUTS] = this.encode(inputs, 'inputs');
    return this;
  }
  setOutputs(outputs: unknown): this {
    if (this.endAt === null) this.encodedAttributes[SpanAttributeKey.OUTPUTS] = this.encode(outputs, 'outputs');
    return this;
  }
  /** @internal One item of a generator's or stream's outputs, encoded when it is yielded (core/iterators.ts). */
  encodeItem(item: unknown): string {
    return this.encode(item, 'outputs');
  }
  /** @internal Outputs already encoded as JSON text (a generator's items, core/iterators.ts). */
  setEncodedOutputs(text: string): void {
    if (this.endAt === null) this.encodedAttributes[SpanAttributeKey.OUTPUTS] = text;
  }
  setAttribute(key: string, value: unknown): this {
    if (this.endAt === null) this.encodedAttributes[key] = this.encode(value, key);
    return this;
  }
  setAttributes(attributes: Record<string, unknown>): this {
    for (const key of Object.keys(attributes)) this.setAttribute(key, attributes[key]);
    return this;
  }
  setSpanType(spanType: SpanType): this {
    return this.setAttribute(SpanAttributeKey.SPAN_TYPE, spanType);
  }
  /**
   * Sets the status. A value that is no status (a typo'd code, a foreign object) is ignored —
   * so it can never erase a recorded error — and reported once through the diagnostics.
   */
  setStatus(status: SpanStatusInput, description?: string): this {
    if (this.endAt !== null) return this;
    const parsed = toSpanStatus(status, description);
    if (parsed) this.status = parsed;
    else {
      reportInternalError(
        'span status',
        new TypeError(`ignored invalid span status ${describeValue(status)} on span "${this.name}"; expected a SpanStatus, a SpanStatusCode or 'OK' | 'ERROR' | 'UNSET'`),
      );
    }
    return this;
  }
  /**
   * Sets `mlflow.spanLogLevel` (a SpanLogLevel or its name, e.g. 'INFO'). An invalid level is
   * ignored and reported once through the diagnostics.
   */
  setLogLevel(level: SpanLogLevel | string): this {
    if (this.endAt !== null) return this;
    let normalized: SpanLogLevel;
    try {
      normalized = toSpanLogLevel(level);
    } catch (error) {
      reportInternalError('span log level', error);
      return this;
    }
    return this.setAttribute(SpanAttributeKey.LOG_LEVEL, normalized);
  }
  addEvent(event: SpanEventInit): this {
    if (this.endAt === null) {
      const timestamp = toNs(event.timestamp, 'addEvent timestamp') ?? nowNs();
      if (this.events === NO_EVENTS) this.events = [];
      this.events.push({ name: event.name, timestamp, attributes: event.attributes ?? {} });
      // An exception makes the span at least ERROR (a user's CRITICAL stays), as MLflow does.
      if (event.name === EXCEPTION_EVENT) {
        const current = this.logLevel;
        if (current === null || current < SpanLogLevel.ERROR) this.setAttribute(SpanAttributeKey.LOG_LEVEL, SpanLogLevel.ERROR);
      }
    }
    return this;
  }
  /**
   * Links this span to a related span of this or another trace (MLflow's `addLink`). The link
   * is copied (attributes through JSON, as MLflow does), so later changes to it are not recorded.
   */
  addLink(link: SpanLink | SpanLinkParams): this {
    if (this.endAt !== null) return this;
    try {
      const attributes = link.attributes && Object.keys(link.attributes).length > 0 ? JSON.parse(jsonStringify(link.attributes)) : undefined;
      if (this.links === NO_LINKS) this.links = [];
      this.links.push(new SpanLink({ traceId: link.traceId, spanId: link.spanId, attributes }));
    } catch (error) {
      reportInternalError('addLink', error);
    }
    return this;
  }
  /** Adds an `exception` event and sets status ERROR, described by the error's message as MLflow does. */
  recordException(error: unknown): this {
    if (this.endAt !== null) return this;
    let type = 'Error';
    let message: string;
    let stackOf: Error | undefined;
    try {
      // A thrown Proxy (or an object inheriting from one) is described without `instanceof`,
      // which would run its getPrototypeOf trap.
      if (typeof error === 'object' && error !== null && !isProxy(error) && !inheritsFromProxy(error) && error instanceof ErrorCtor) {
        // SDK error classes often keep name "Error": the class name says more (MLflow records it).
        // Neither is read through a getter (a class's static `name`, an instance's `name`); the
        // message is read once, getter or not: it is what the span's status says.
        const name = memberValue(error, 'name');
        const ctor = memberValue(error, 'constructor');
        const ctorName = typeof ctor === 'function' ? memberValue(ctor, 'name') : undefined;
        const className = typeof ctorName === 'string' ? ctorName : '';
        type = typeof name === 'string' && name && (name !== 'Error' || !className) ? name : className || 'Error';
        message = String(error.message);
        stackOf = error;
      } else {
        type = typeof error;
        message = typeof error === 'string' ? error : serialize(error, { maxChars: 2000 });
      }
    } catch (e) {
      message = '[unreadable exception]';
      reportInternalError('recordException', e);
    }
    const attributes: Record<string, EventAttributeValue> = { 'exception.type': type, 'exception.message': message };
    if (stackOf) lazyStack(attributes, stackOf);
    else attributes['exception.stacktrace'] = '';
    this.addEvent({ name: EXCEPTION_EVENT, attributes });
    this.status = new SpanStatus(SpanStatusCode.ERROR, message);
    return this;
  }

  /** Ends the span (once; later calls are ignored). Status UNSET becomes OK. */
  end(options: EndSpanOptions = {}): void {
    if (this.endAt !== null) return;
    if (options.attributes) this.setAttributes(options.attributes);
    if (options.outputs !== undefined) this.setOutputs(options.outputs);
    if (options.status !== undefined && options.status !== null) this.setStatus(options.status);
    // Anything but ERROR becomes OK: the default of an ended span.
    const more = this.more;
    if (more?.status !== undefined && more.status.statusCode !== SpanStatusCode.ERROR) more.status = undefined;
    // The handler ends a span left open: not needed once ended, and a generator's recorder it
    // closes over holds every item the generator yielded.
    if (more?.onUnfinished !== undefined) more.onUnfinished = undefined;
    // Unset level: the default of the span's final type (MLflow decides it at end, too).
    if (this.encodedAttributes[SpanAttributeKey.LOG_LEVEL] === undefined) {
      this.encodedAttributes[SpanAttributeKey.LOG_LEVEL] = encodedDefaultLogLevel(this.encodedAttributes[SpanAttributeKey.SPAN_TYPE]);
    }
    const state = runtimeState();
    if (state.spanProcessors.length > 0) {
      // Processors see the span as it will end (OK unless ERROR) while it can still change.
      if (more?.status === undefined) (this.more ??= {}).status = OK_STATUS;
      runSpanHooks(state.spanProcessors, this, 'span processor');
    }
    const start = this.startAt;
    this.endAt = toNs(options.endTimeNs, 'end({ endTimeNs })') ?? (typeof start === 'number' ? monoSpanNs(start, nowMono()) : monoToNs(nowMono()));
    if (state.spanEndHooks.length > 0) runSpanHooks(state.spanEndHooks, this, 'span end hook');
    this.buffer?.onSpanEnd(this);
  }

  /**
   * Ends a span the program left open, when tracewright has to: its generator was dropped
   * unfinished ("abandoned"), its trace's wait for open spans ran out ("timeout"), or the
   * process is ending ("exit"). Status ERROR, and the reason in `tracewright.span.unfinished`.
   */
  endUnfinished(reason: UnfinishedReason): void {
    if (this.endAt !== null) return;
    const handler = this.onUnfinished;
    this.onUnfinished = undefined;
    if (handler) {
      try {
        handler(reason);
      } catch (error) {
        reportInternalError('end unfinished span', error);
      }
      if (this.endAt !== null) return;
    }
    this.markUnfinished(reason);
    this.end();
  }

  /** @internal Records why tracewright ended the span (the caller ends it). */
  markUnfinished(reason: UnfinishedReason): void {
    if (this.endAt !== null) return;
    this.encodedAttributes[TracewrightKey.SPAN_UNFINISHED] = jsonStringify(reason);
    reportUnfinishedSpan(this.name, reason);
    this.status = new SpanStatus(SpanStatusCode.ERROR, UNFINISHED_MESSAGE[reason]);
  }

  [Symbol.dispose](): void {
    this.end();
  }
}

/**
 * Handed out when tracing is disabled or the trace was sampled out: same API, records
 * nothing, and (as the frame's span) makes descendants no-ops too.
 */
export class NoOpSpan extends LiveSpan {
  /** Ids given: it stands for a span recorded elsewhere (see remote-parent.ts). */
  constructor(traceId = NO_OP_SPAN_TRACE_ID, spanId = '', name = '') {
    super(undefined, traceId, spanId, null, name, 0n);
  }
  override get buffer(): TraceBuffer | undefined {
    return undefined;
  }
  override get isRecording(): boolean {
    return false;
  }
  override setInputs(): this {
    return this;
  }
  override setOutputs(): this {
    return this;
  }
  override setEncodedOutputs(): void {}
  override setAttribute(): this {
    return this;
  }
  override setStatus(): this {
    return this;
  }
  override addEvent(): this {
    return this;
  }
  override recordException(): this {
    return this;
  }
  override addLink(): this {
    return this;
  }
  override setLogLevel(): this {
    return this;
  }
  override end(): void {}
  override endUnfinished(): void {}
}

export const NO_OP_SPAN: LiveSpan = new NoOpSpan();
