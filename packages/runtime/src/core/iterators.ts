/**
 * Spans for generator functions and SDK streams: the span stays open until the iterator is
 * exhausted, throws, or is closed early (`break`, `return()`), and records the yielded items
 * (bounded). The span is the active context only while the producer's body runs, so the
 * consumer's own spans are not nested under the stream.
 *
 * The one rule for unfinished iteration: an iterator the program still references keeps its
 * span open (until consumed, closed, failed, or its trace's wait for open spans ends); one the
 * program drops unfinished is ended when the garbage collector reclaims it ("abandoned", via a
 * FinalizationRegistry on the object the program holds), with status ERROR and the items seen
 * so far, and its trace is written. See LiveSpan.endUnfinished for "timeout" and "exit".
 */
import type { UnfinishedReason } from '../model/constants.js';
import { runInFrame } from './context.js';
import { reportInternalError } from './diagnostics.js';
import { FinalizationRegistryCtor } from './intrinsics.js';
import type { LiveSpan } from './live-span.js';
import { runtimeState, type ContextFrame } from './state.js';

// Held value: the recorder, which never references the iterator object the program holds.
const abandoned = FinalizationRegistryCtor ? new FinalizationRegistryCtor<Recorder>((recorder) => recorder.abandon('abandoned')) : undefined;

type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

/**
 * Lets an integration see every item of a traced stream and decide what the span records
 * when it ends (e.g. an LLM response assembled from its chunks) instead of the item list.
 */
export interface StreamObserver {
  /** Called for every item, in order (unbounded, unlike the recorded item list). */
  item(value: unknown): void;
  /** Called once before the span ends: exhausted, closed early, or failed (`error` set, already recorded). */
  end(span: LiveSpan, error?: unknown): void;
}

/**
 * The items a generator or stream span records, each encoded when it is yielded (what the
 * consumer changes afterwards must not show in the record, nor be held until the span ends):
 * the first `maxGeneratorItems`, as long as their text stays within the value limit, then how
 * many more there were. Shared by wrapped iterators here and generators traced inline (inject.ts).
 */
export interface ItemLog {
  items: string[];
  dropped: number;
  /** Characters of the items' texts so far. */
  chars: number;
}

export function logItem(log: ItemLog, item: unknown, span: LiveSpan): void {
  const state = runtimeState();
  if (log.items.length < state.maxGeneratorItems && log.chars < state.maxValueChars && span.isRecording) {
    const text = span.encodeItem(item);
    if (log.chars + text.length <= state.maxValueChars) {
      log.items.push(text);
      log.chars += text.length + 1;
      return;
    }
    // Past the limit: no item is cut, the rest are counted.
    log.chars = state.maxValueChars;
  }
  log.dropped++;
}

/** Ends `span` with the items logged as its outputs. */
export function endWithItems(span: LiveSpan, log: ItemLog): void {
  span.setEncodedOutputs(loggedItemsText(log));
  span.end();
}

/** The items' JSON text, as an array: what the span records as its outputs. */
export function loggedItemsText(log: ItemLog): string {
  const items = log.items.join(',');
  if (log.dropped === 0) return `[${items}]`;
  return `[${items}${items === '' ? '' : ','}"[${log.dropped} more items not recorded]"]`;
}

function isIterator(value: object): value is AnyIterator {
  return typeof (value as { next?: unknown }).next === 'function' && (Symbol.iterator in value || Symbol.asyncIterator in value);
}

/** Generators, async generators, iterators, and async-iterable streams (not Node/web streams). */
export function isTraceableIterable(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (isIterator(value)) return true;
  return (
    Symbol.asyncIterator in value &&
    typeof (value as { pipe?: unknown }).pipe !== 'function' &&
    typeof (value as { getReader?: unknown }).getReader !== 'function'
  );
}

class Recorder implements ItemLog {
  items: string[] = [];
  dropped = 0;
  chars = 0;
  private frame: ContextFrame | undefined;
  private done = false;
  constructor(
    private readonly start: () => ContextFrame,
    private readonly observer?: StreamObserver,
  ) {}

  get active(): ContextFrame {
    if (this.frame === undefined) {
      this.frame = this.start();
      const span = this.frame.span;
      if (span) span.onUnfinished = (reason) => this.abandon(reason);
    }
    return this.frame;
  }
  /** Ties the span to `holder`, the object the program iterates: dropping it ends the span. */
  watch(holder: object): void {
    abandoned?.register(holder, this, this);
  }
  private get span(): LiveSpan {
    return this.active.span!;
  }
  record(item: unknown): void {
    if (this.observer) return this.observe(() => this.observer!.item(item));
    logItem(this, item, this.span);
  }
  /** The program stopped iterating without closing the iterator (see the module comment). */
  abandon(reason: UnfinishedReason): void {
    // Never started (no next() yet): the body never ran, there is no span to end.
    if (this.done || this.frame === undefined) return;
    this.span.markUnfinished(reason);
    this.finish();
  }
  finish(): void {
    if (this.done) return;
    this.done = true;
    abandoned?.unregister(this);
    if (this.observer) {
      this.observe(() => this.observer!.end(this.span));
      return this.span.end();
    }
    endWithItems(this.span, this);
  }
  fail(error: unknown): void {
    if (this.done) return;
    this.done = true;
    abandoned?.unregister(this);
    this.span.recordException(error);
    if (this.observer) this.observe(() => this.observer!.end(this.span, error));
    this.span.end();
  }
  private observe(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      reportInternalError('stream observer', error);
    }
  }
}

function wrapIterator<T extends AnyIterator>(iterator: T, recorder: Recorder): T {
  const wrapper = Object.create(Object.getPrototypeOf(iterator)) as Record<PropertyKey, unknown>;
  const onResult = (result: IteratorResult<unknown>, closing: boolean) => {
    if (result.done || closing) recorder.finish();
    else recorder.record(result.value);
    return result;
  };
  const step = (method: 'next' | 'return' | 'throw', arg: unknown): unknown => {
    const frame = recorder.active;
    const fn = (iterator as unknown as Record<string, unknown>)[method];
    if (typeof fn !== 'function') {
      // No return()/throw() on the source: behave as the language does for such iterators.
      if (method === 'throw') {
        recorder.fail(arg);
        throw arg;
      }
      recorder.finish();
      return { done: true, value: arg };
    }
    let result: unknown;
    try {
      result = runInFrame(frame, () => (fn as (a: unknown) => unknown).call(iterator, arg));
    } catch (error) {
      recorder.fail(error);
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (r: IteratorResult<unknown>) => onResult(r, method === 'return'),
        (error) => {
          recorder.fail(error);
          throw error;
        },
      );
    }
    return onResult(result as IteratorResult<unknown>, method === 'return');
  };
  wrapper.next = (arg?: unknown) => step('next', arg);
  wrapper.return = (arg?: unknown) => step('return', arg);
  wrapper.throw = (arg?: unknown) => step('throw', arg);
  if (Symbol.asyncIterator in iterator) wrapper[Symbol.asyncIterator] = () => wrapper;
  if (Symbol.iterator in iterator) wrapper[Symbol.iterator] = () => wrapper;
  recorder.watch(wrapper);
  return wrapper as unknown as T;
}

/** Wraps an iterator whose span starts on the first `next()` (generator functions). */
export function wrapLazyIterator<T extends AnyIterator>(iterator: T, start: () => ContextFrame): T {
  return wrapIterator(iterator, new Recorder(start));
}

/** Wraps an iterator or async-iterable stream produced inside an already-started span. */
export function wrapIterable<T>(value: T, frame: ContextFrame, observer?: StreamObserver): T {
  const recorder = new Recorder(() => frame, observer);
  if (isIterator(value as object)) return wrapIterator(value as unknown as AnyIterator, recorder) as unknown as T;
  // An async-iterable object with its own API (e.g. an SDK Stream): keep the object, trace
  // its iteration. Methods are bound to the real target so private fields keep working.
  const target = value as unknown as Record<PropertyKey, unknown> & AsyncIterable<unknown>;
  return new Proxy(target, {
    get(t, prop) {
      if (prop === Symbol.asyncIterator) {
        return () => wrapIterator(t[Symbol.asyncIterator]() as AsyncIterator<unknown>, recorder);
      }
      const v = Reflect.get(t, prop, t);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  }) as unknown as T;
}

/**
 * Wraps an iterator factory (an SDK stream's `iterator` / `[Symbol.asyncIterator]`) so that
 * every iterator it makes feeds one span: a stream object's own iteration, `tee()` and
 * `toReadableStream()` all go through it. Returns the wrapped factory and a way to end the
 * span from outside (e.g. when the stream is aborted before anyone reads it).
 */
export function traceIteratorFactory(
  factory: () => AnyIterator,
  frame: ContextFrame,
  observer?: StreamObserver,
): { factory: () => AnyIterator; finish: () => void } {
  const recorder = new Recorder(() => frame, observer);
  return {
    factory: () => wrapIterator(runInFrame(frame, factory), recorder),
    finish: () => recorder.finish(),
  };
}
