/**
 * Background delivery shared by the MLflow and OTLP destinations: a bounded queue (drop
 * oldest, counted), batching, a few concurrent sends, retries with backoff + jitter honouring
 * Retry-After, 413 batch splitting, one-time warnings, flush() that resolves when everything
 * handed in before it is delivered or given up, and a flush when the process is about to exit.
 * `enqueue` only appends: all encoding and I/O happens later, off the caller's stack.
 */
import { reportDropped, reportInternalError } from '../../core/diagnostics.js';
import { RequestGroup } from '../http/request-group.js';
import { DEFAULT_RETRY_POLICY, nextRetryDelayMs, type RetryPolicy } from './backoff.js';
import { BoundedQueue } from './bounded-queue.js';
import { toDeliveryFailure, withEarlierAttempt, type DeliveryFailure } from './failure.js';
import { clearDeferred, clearTimer, deferUnref, setTimer, unrefTimer, type Deferred, type Timer } from '../../platform/timers.js';
import { wallNowMs } from '../../core/clock.js';

/** Tuning knobs of the background delivery (all optional). */
export interface DeliveryOptions {
  /** Max traces waiting to be sent; the oldest are dropped beyond it (default 2048). */
  maxQueueSize?: number;
  /** Max spans waiting to be sent, over all queued traces (default 100,000). */
  maxQueueSpans?: number;
  /** How long a trace may wait for others to share its request (default: destination-specific). */
  batchDelayMs?: number;
  /** Requests in flight at once (default: destination-specific). */
  concurrency?: number;
  /** Per-request deadline, ms (default: destination-specific). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

export interface PipelineConfig<T> {
  /** Destination description, used in warnings and drop counts. */
  name: string;
  /** Delivers one batch or throws (see DeliveryFailure for how errors steer retries). */
  send(batch: T[]): Promise<void>;
  /**
   * The group every request made by `send` belongs to: the pipeline holds it while a flush
   * waits and clips it to the exit budget, so delivery never keeps a finished program alive.
   */
  requests: RequestGroup;
  /** Weight of one item against `maxQueueSpans` / `maxBatchWeight` (e.g. its span count). */
  weigh(item: T): number;
  maxBatchItems: number;
  maxBatchWeight: number;
  batchDelayMs: number;
  concurrency: number;
  maxQueueSize: number;
  maxQueueSpans: number;
  retry: RetryPolicy;
}

interface Entry<T> {
  seq: number;
  at: number;
  item: T;
}

interface FlushWaiter {
  target: number;
  resolve: () => void;
}

export function resolvePipelineConfig<T>(
  base: Omit<PipelineConfig<T>, 'maxQueueSize' | 'maxQueueSpans' | 'retry' | 'requests'> & { requests?: RequestGroup },
  options: DeliveryOptions | undefined,
): PipelineConfig<T> {
  const positive = (name: keyof DeliveryOptions, value: unknown, fallback: number, min = 1): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
      throw new RangeError(`delivery.${name} must be a number ≥ ${min}, got ${String(value)}`);
    }
    return value;
  };
  return {
    ...base,
    requests: base.requests ?? new RequestGroup(),
    batchDelayMs: positive('batchDelayMs', options?.batchDelayMs, base.batchDelayMs, 0),
    concurrency: positive('concurrency', options?.concurrency, base.concurrency),
    maxQueueSize: positive('maxQueueSize', options?.maxQueueSize, 2048),
    maxQueueSpans: positive('maxQueueSpans', options?.maxQueueSpans, 100_000),
    retry: { ...DEFAULT_RETRY_POLICY, ...options?.retry },
  };
}

export class DeliveryPipeline<T> {
  private readonly queue: BoundedQueue<Entry<T>>;
  private readonly inFlight = new Set<Entry<T>[]>();
  private readonly waiters: FlushWaiter[] = [];
  private readonly retryTimers = new Set<Timer>();
  private seq = 0;
  private backingOff = 0;
  /** When the current run of retryable failures began (undefined while deliveries succeed). */
  private outageSince: number | undefined;
  private wakeTimer: Timer | undefined;
  private wakeImmediate: Deferred | undefined;
  private closed = false;
  /** Set while the exit flush runs: no request or retry may hold the process past this instant. */
  private exitDeadline: number | undefined;
  private exitFlush: Promise<void> | undefined;

  constructor(private readonly config: PipelineConfig<T>) {
    this.queue = new BoundedQueue(config.maxQueueSize, config.maxQueueSpans);
    registerForExitFlush(this);
  }

  /** Number of items queued or being sent. */
  get pending(): number {
    let n = this.queue.length;
    for (const batch of this.inFlight) n += batch.length;
    return n;
  }

  /** Hot path: append and return. Never throws. */
  enqueue(item: T): void {
    if (this.closed) {
      reportDropped(this.config.name, 1);
      return;
    }
    let weight = 1;
    try {
      weight = Math.max(1, this.config.weigh(item));
    } catch {
      // a malformed item still gets a slot; the sender reports it
    }
    const evicted = this.queue.push({ seq: ++this.seq, at: wallNowMs(), item }, weight);
    if (evicted.length > 0) {
      reportDropped(this.config.name, evicted.length);
      reportInternalError(
        `export to ${this.config.name}: queue full`,
        new Error(
          `more than ${this.config.maxQueueSize} traces / ${this.config.maxQueueSpans} spans waiting; dropping the oldest (counted in getTracingDiagnostics().dropped)`,
        ),
      );
      this.settle();
    }
    this.wakeSoon();
  }

  /** Resolves once everything enqueued before this call is delivered or given up. Never rejects. */
  flush(): Promise<void> {
    const target = this.seq;
    if (this.minUnsettledSeq() > target) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.waiters.push({ target, resolve });
      // Someone awaits the outcome now: requests in flight and backoff waits keep the process
      // alive until it is settled (released again in settle()).
      this.config.requests.hold(true);
      for (const timer of this.retryTimers) timer.ref();
      this.pump();
    });
  }

  /**
   * The flush run when the process is about to exit: delivers what it can, but gives up on a
   * failing backend once `budgetMs` has passed — every request, in flight or not yet sent, is
   * cut off at that instant — instead of keeping the app alive for the retry window.
   * The budget is one for the whole exit, however often 'beforeExit' fires meanwhile; it is
   * lifted once nothing is pending, so an app that goes on working afterwards delivers normally.
   */
  flushBeforeExit(budgetMs: number): Promise<void> {
    if (this.exitFlush) {
      this.pump();
      return this.exitFlush;
    }
    const at = wallNowMs() + budgetMs;
    this.exitDeadline = at;
    this.config.requests.limitTo({ at, what: `the ${budgetMs / 1000} s exit budget` });
    this.exitFlush = (async () => {
      // Traces handed in while exiting (e.g. written out by another exit hook) share the same
      // budget; past it, their requests fail at once without touching the network.
      while (this.pending > 0) await this.flush();
      this.exitDeadline = undefined;
      this.exitFlush = undefined;
      this.config.requests.limitTo(undefined);
    })();
    return this.exitFlush;
  }

  async shutdown(): Promise<void> {
    await this.flush();
    this.closed = true;
    this.clearWake();
    exitFlushSet.delete(this);
  }

  // ---- scheduling ----

  private wakeSoon(): void {
    if (this.wakeImmediate || this.backingOff > 0) return;
    // Deferred to the next turn of the event loop so export() costs the caller an append only.
    this.wakeImmediate = deferUnref(() => {
      this.wakeImmediate = undefined;
      this.pump();
    });
  }

  private clearWake(): void {
    if (this.wakeTimer) clearTimer(this.wakeTimer);
    if (this.wakeImmediate) clearDeferred(this.wakeImmediate);
    this.wakeTimer = undefined;
    this.wakeImmediate = undefined;
  }

  private pump(): void {
    const { config } = this;
    while (this.inFlight.size < config.concurrency && this.backingOff === 0 && this.queue.length > 0) {
      const head = this.queue.peek()!;
      const due =
        this.waiters.length > 0 ||
        this.queue.length >= config.maxBatchItems ||
        this.queue.weight >= config.maxBatchWeight ||
        wallNowMs() - head.at >= config.batchDelayMs;
      if (!due) {
        if (!this.wakeTimer) {
          this.wakeTimer = setTimer(() => {
            this.wakeTimer = undefined;
            this.pump();
          }, config.batchDelayMs - (wallNowMs() - head.at));
          unrefTimer(this.wakeTimer);
        }
        return;
      }
      const batch = this.queue.take(config.maxBatchItems, config.maxBatchWeight);
      void this.run(batch);
    }
  }

  private async run(batch: Entry<T>[]): Promise<void> {
    this.inFlight.add(batch);
    try {
      await this.deliver(batch);
    } finally {
      this.inFlight.delete(batch);
      this.settle();
      this.pump();
    }
  }

  private async deliver(batch: Entry<T>[]): Promise<void> {
    let earlier: DeliveryFailure | undefined;
    for (let attempt = 1; ; attempt++) {
      let failure: DeliveryFailure;
      try {
        await this.config.send(batch.map((e) => e.item));
        this.outageSince = undefined;
        return;
      } catch (error) {
        failure = toDeliveryFailure(error);
      }
      if (failure.kind === 'too-large' && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await this.deliver(batch.slice(0, half));
        await this.deliver(batch.slice(half));
        return;
      }
      if (failure.kind === 'retryable') {
        // The retry window counts from the start of the outage, not per item: otherwise a
        // long queue behind a dead server would take (queue length × window) to drain.
        this.outageSince ??= wallNowMs();
        let delay = nextRetryDelayMs(attempt, this.outageSince, failure.retryAfterMs, this.config.retry);
        if (delay !== undefined && this.exitDeadline !== undefined && wallNowMs() + delay > this.exitDeadline) delay = undefined;
        if (delay !== undefined) {
          reportInternalError(
            `export to ${this.config.name}`,
            new Error(`${failure.message} — retrying with backoff for up to ${Math.round(this.config.retry.retryWindowMs / 1000)} s; traces queue meanwhile`),
          );
          this.backingOff++;
          try {
            await this.sleep(delay);
          } finally {
            this.backingOff--;
          }
          earlier = failure;
          continue;
        }
      }
      failure = withEarlierAttempt(failure, earlier);
      this.giveUp(batch, failure);
      if (failure.kind === 'retryable') this.shedQueue(failure);
      return;
    }
  }

  /**
   * The server stayed unreachable for the whole retry window: what is still queued would meet
   * the same fate one timeout at a time, so it is dropped now and flush() can resolve. Each
   * trace exported later still gets one attempt (a probe); the first success ends the outage.
   */
  private shedQueue(failure: DeliveryFailure): void {
    const rest = this.queue.take(Infinity, Infinity);
    if (rest.length > 0) this.giveUp(rest, failure);
  }

  /** Drops `batch`: counted per destination, and per cause in the site name (logged once each). */
  private giveUp(batch: Entry<T>[], failure: DeliveryFailure): void {
    reportDropped(this.config.name, batch.length);
    const verdict = failure.kind !== 'retryable' ? 'rejected' : this.exitDeadline !== undefined ? 'gave up at exit' : 'gave up';
    reportInternalError(`export to ${this.config.name}: ${verdict} (${failure.reason})`, new Error(`${failure.message} (${batch.length} trace(s) dropped)`));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimer(() => {
        this.retryTimers.delete(timer);
        resolve();
      }, ms);
      if (this.waiters.length === 0) unrefTimer(timer);
      this.retryTimers.add(timer);
    });
  }

  // ---- flush bookkeeping ----

  private minUnsettledSeq(): number {
    let min = this.queue.peek()?.seq ?? Infinity;
    for (const batch of this.inFlight) min = Math.min(min, batch[0]!.seq);
    return min;
  }

  private settle(): void {
    if (this.waiters.length === 0) return;
    const min = this.minUnsettledSeq();
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i]!.target < min) this.waiters.splice(i, 1)[0]!.resolve();
    }
    if (this.waiters.length > 0) return;
    // Nobody waits any more: background delivery goes back to never holding the process.
    this.config.requests.hold(false);
    for (const timer of this.retryTimers) unrefTimer(timer);
  }
}

// ---- flush on exit ----

const exitFlushSet = new Set<DeliveryPipeline<unknown>>();
let exitHookInstalled = false;

/**
 * 'beforeExit' fires when the event loop runs dry with work still queued (our timers are
 * unref'd so they never hold the app open). Flushing then starts ref'd I/O, which keeps the
 * process alive until delivery completes; the next 'beforeExit' finds nothing pending.
 */
/** How long a failing backend may delay the exit of a finished program. */
export const EXIT_FLUSH_BUDGET_MS = 5_000;

function registerForExitFlush(pipeline: DeliveryPipeline<any>): void {
  exitFlushSet.add(pipeline);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // No process (edge runtimes): the platform's waitUntil or an explicit flush delivers instead.
  if (typeof process === 'undefined' || typeof process.on !== 'function') return;
  process.on('beforeExit', () => {
    for (const p of exitFlushSet) if (p.pending > 0) void p.flushBeforeExit(EXIT_FLUSH_BUDGET_MS);
  });
}
