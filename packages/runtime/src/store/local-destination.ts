/**
 * The embedded default destination: completed traces go to a local store directory.
 *
 * `export` enqueues; a background pump encodes queued traces in time slices of at most SLICE_MS
 * (yielding to the event loop between slices, so traced request handlers keep their latency),
 * gathers them into batches and writes each with two asynchronous positional writes.
 *
 * Durability point: a trace is on disk within `syncAfterMs` (200 ms) of being handed over, or
 * once `syncAfterTraces` (1,000) are waiting, even when the event loop never reaches the
 * macrotask phase where the pump runs (a loop of `await`s on promises that never do I/O, a long
 * synchronous loop). A heartbeat timer tells whether the loop still reaches that phase; when it
 * has not for `syncAfterMs`, `export` itself — called synchronously by the tracer when a root
 * span ends — writes everything waiting synchronously once the point is passed. While the loop
 * runs, the pump stays asynchronous (a slow disk never blocks the program) and takes longer
 * slices when it falls behind. The count half of the point (`syncAfterTraces` unwritten) makes
 * `export` write synchronously whatever the loop does: that is also the back-pressure, so
 * nothing is dropped while the disk works and memory stays bounded.
 *
 * Disk failures (full, read-only) pause writing: the failed batch and its file pair are kept,
 * retried with exponential backoff, and writing resumes by itself when space returns. The
 * outage is reported once; traces arriving meanwhile wait in memory up to `maxQueuedTraces`,
 * beyond that they are dropped and counted. Nothing is ever thrown into the program.
 */
import { reportDropped, reportInternalError } from '../core/diagnostics.js';
import type { DeleteTracesOptions, SearchTracesOptions, TraceDestination, TracePage, TraceReader } from '../export/destination.js';
import type { Trace, TraceEntity } from '../model/trace.js';
import { flushOnExit } from './exit-flush.js';
import { LocalTraceStore } from './local-store.js';
import { afterFlush, type AssessmentBackend } from '../assessments/backend.js';
import { SegmentWriter } from './segment-writer.js';
import { clearRepeating, clearTimer, nextTurn, setRepeating, setTimer, unrefTimer, type Timer } from '../platform/timers.js';
import { nowMono } from '../core/clock.js';

const SLICE_MS = 1;
/** Encode slice while behind the durability point (the program finishes traces faster than 1 ms slices encode them). */
const CATCH_UP_SLICE_MS = 4;
const HEARTBEAT_MS = 50;
const BACK_PRESSURE_BYTES = 128 * 1024;
/** Traces finishing for this long with no heartbeat: the loop is starved, not merely descheduled. */
const STARVED_CONFIRM_MS = 50;
const BATCH_BYTES = 512 * 1024;
/**
 * A batch smaller than this waits up to GATHER_MS (from its oldest trace's hand-over) for more
 * traces before it is written: a program finishing a trace per event-loop turn had each written
 * on its own, two positional writes per trace — their calls, requests and completions cost more
 * of its CPU than the bytes. Well within the durability point; a flush writes at once.
 */
const GATHER_BYTES = 256 * 1024;
export const GATHER_MS = 10;
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

export interface LocalStoreDestinationOptions {
  /** While the disk is failing, traces waiting beyond this many are dropped (and counted). Default 10,000. */
  maxQueuedTraces?: number;
  /** A trace is written (synchronously if need be) at most this long after it was handed over. Default 200 ms. */
  syncAfterMs?: number;
  /** ...or once this many traces are waiting (then `export` writes synchronously: back-pressure). Default 1,000. */
  syncAfterTraces?: number;
  /** Segment file size at which the writer rotates to a new file pair. Default 64 MiB. */
  segmentBytes?: number;
}

interface WriteFailure {
  error: unknown;
}
const NO_FAILURE = (): undefined => undefined;
const asFailure = (error: unknown): WriteFailure => ({ error });
/** Waits for a write started earlier; throws its error. */
async function landed(writing: Promise<WriteFailure | undefined>): Promise<void> {
  const failure = await writing;
  if (failure) throw failure.error;
}

interface Outage {
  delayMs: number;
  timer: Timer | undefined;
}

export class LocalStoreDestination implements TraceDestination, TraceReader {
  readonly description: string;
  readonly store: LocalTraceStore;
  /** The store's assessments, after writing what is queued (feedback may name a trace just finished). */
  readonly assessments: AssessmentBackend;
  private readonly writer: SegmentWriter;
  private readonly maxQueued: number;
  private readonly syncAfterMs: number;
  private readonly syncAfterTraces: number;
  /** Handed-over traces not yet encoded, with when each was handed over (parallel arrays). */
  private queue: Array<Trace | undefined> = [];
  private queuedAt: number[] = [];
  private head = 0;
  private pumping: Promise<void> | undefined;
  /** Set while the disk is failing: no writes until the retry timer (or a flush) succeeds. */
  private outage: Outage | undefined;
  /** Last time a timer of ours ran: the event loop still reaches the macrotask phase. */
  private loopSeenAt = 0;
  /** First export since that heartbeat. */
  private exportingSince: number | undefined;
  /** Traces finished since that heartbeat while the loop was starved. */
  private starvedExports = 0;
  private heartbeat: Timer | undefined;
  /** Ends the pump's wait for more traces (a flush wants them written now). */
  private wake: (() => void) | undefined;
  /** flush() calls waiting: the pump writes what it has without gathering more. */
  private flushing = 0;
  private closed = false;
  private readonly unregister: () => void;

  constructor(root: string, options: LocalStoreDestinationOptions = {}) {
    this.store = new LocalTraceStore(root);
    this.description = `local store ${this.store.root}`;
    this.assessments = afterFlush(this.store.assessments, () => this.flush());
    this.writer = new SegmentWriter(this.store.root, options.segmentBytes);
    this.maxQueued = options.maxQueuedTraces ?? 10_000;
    this.syncAfterMs = options.syncAfterMs ?? 200;
    this.syncAfterTraces = options.syncAfterTraces ?? 1_000;
    this.unregister = flushOnExit(this);
  }

  get root(): string {
    return this.store.root;
  }

  /** True while writing is paused by a disk failure (retried with backoff). */
  get writePaused(): boolean {
    return this.outage !== undefined;
  }

  export(trace: Trace): void {
    const queued = this.queue.length - this.head;
    if (this.closed || (this.outage && queued >= this.maxQueued)) {
      reportDropped(this.description);
      return;
    }
    const now = nowMono();
    this.exportingSince ??= now;
    const starved = !this.outage && this.loopStarved(now);
    if (starved) this.starvedExports++;
    if (starved && this.starvedExports === 1 && this.hasWork) {
      // The first trace to finish since the loop stopped turning may end one long synchronous
      // call (a batch job's single root): it is given the loop's next turn like any trace, not
      // encoded on the call path. What waited from before is overdue and written now.
      this.writeNowSync(Infinity, this.behind(now));
    }
    this.queue.push(trace);
    this.queuedAt.push(now);
    if (this.outage) return;
    const unwritten = this.queue.length - this.head + this.writer.unwrittenCount;
    if (unwritten >= this.syncAfterTraces) {
      // The count half of the durability point, whatever the loop does; also the back-pressure
      // that bounds memory: a program outrunning the pump pays for the writes, nothing is
      // dropped. The oldest ~128 KiB at a time: short pauses rather than one long one.
      this.writeNowSync(BACK_PRESSURE_BYTES);
      return;
    }
    if (starved && this.starvedExports > 1) {
      // The pump cannot run: encode here as traces finish, so that reaching the durability point
      // costs only a write (encoding a backlog at once could take longer than the point allows).
      this.writeNowSync(Infinity, this.behind(now, unwritten));
      return;
    }
    this.watchLoop(now);
    this.pumping ??= this.pump();
  }

  /** Past the durability point: the oldest unwritten trace is too old, or too many wait. */
  private behind(now: number, unwritten = this.queue.length - this.head + this.writer.unwrittenCount): boolean {
    if (unwritten >= this.syncAfterTraces) return true;
    const oldest = this.writer.oldestUnwrittenAt ?? this.queuedAt[this.head];
    // Acting at a quarter of the delay leaves the rest for the write itself (encoding what waits
    // takes CPU time too: on a loaded machine, tens of ms).
    return oldest !== undefined && now - oldest >= this.syncAfterMs / 4;
  }

  /**
   * The heartbeat has not run for the durability delay, and the program has kept finishing
   * traces for a while without it getting a turn. (A process merely descheduled on a loaded
   * machine also misses heartbeats, but finishes no traces meanwhile; once it runs again the
   * heartbeat gets its turn within a loop iteration: not starved, no synchronous writes.)
   */
  private loopStarved(now: number): boolean {
    if (this.heartbeat === undefined || now - this.loopSeenAt < this.syncAfterMs / 2) return false;
    return now - (this.exportingSince ?? now) >= STARVED_CONFIRM_MS;
  }

  /** Keeps a heartbeat while traces wait, so `export` can tell a starved event loop from a busy disk. */
  private watchLoop(now: number): void {
    if (this.heartbeat) return;
    this.loopSeenAt = now;
    this.heartbeat = unrefTimer(setRepeating(() => {
      this.loopSeenAt = nowMono();
      this.exportingSince = undefined;
      this.starvedExports = 0;
      if (!this.hasWork && !this.pumping) {
        clearRepeating(this.heartbeat);
        this.heartbeat = undefined;
      }
    }, HEARTBEAT_MS));
  }

  hasPending(): boolean {
    return this.pumping !== undefined || this.head < this.queue.length || this.writer.unwrittenCount > 0;
  }

  private get hasWork(): boolean {
    return this.head < this.queue.length || this.writer.unwrittenCount > 0;
  }

  private async pump(): Promise<void> {
    // The last write started: the next batch is encoded while it is on its way (one at a time).
    // Its failure is a value, taken up when awaited (awaiting a landed write again is a no-op).
    let writing: Promise<WriteFailure | undefined> | undefined;
    try {
      // Let the current tick finish first: traces ending together are written together.
      await nextTurn();
      while (!this.outage && this.hasWork) {
        let sliceStart = nowMono();
        let slice = this.behind(sliceStart) ? CATCH_UP_SLICE_MS : SLICE_MS;
        while (this.head < this.queue.length && this.writer.pendingBytes < BATCH_BYTES && !this.writer.segmentFull) {
          this.encodeNext();
          if (nowMono() - sliceStart > slice) {
            await nextTurn();
            // A synchronous write or a failure may have happened meanwhile.
            if (this.outage) return;
            sliceStart = nowMono();
            slice = this.behind(sliceStart) ? CATCH_UP_SLICE_MS : SLICE_MS;
          }
        }
        this.compactQueue();
        const waitMs = this.gatherMs();
        if (waitMs > 0) {
          await this.gather(waitMs);
          if (this.outage) return;
          continue;
        }
        if (writing) await landed(writing);
        writing = this.writer.write().then(NO_FAILURE, asFailure);
        // Nothing more to encode yet, or the segment rotates once this batch is written: wait.
        if (this.head >= this.queue.length || this.writer.segmentFull) await landed(writing);
      }
    } catch (error) {
      this.enterOutage(error);
    } finally {
      // Never two writes of the writer at once: the next pump starts after this one has landed.
      if (writing) {
        try {
          await landed(writing);
        } catch (error) {
          // Already failing: the batch stays unsettled for the retry, one outage (one backoff step).
          if (!this.outage) this.enterOutage(error);
        }
      }
      this.pumping = undefined;
      // A retry that succeeded while this pump waited for its last write could not start one.
      if (!this.outage && !this.closed && this.head < this.queue.length) this.pumping = this.pump();
    }
  }

  /** How long the batch being encoded should still wait for more traces (0: write it now). */
  private gatherMs(): number {
    if (this.flushing > 0 || this.closed || this.writer.segmentFull || this.writer.pendingBytes >= GATHER_BYTES) return 0;
    const oldest = this.writer.oldestUnwrittenAt;
    return oldest === undefined ? 0 : GATHER_MS - (nowMono() - oldest);
  }

  /** Waits `ms` (never keeping a finished program alive: its exit flush wakes the pump), or until woken. */
  private gather(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = unrefTimer(setTimer(() => this.wake?.(), ms));
      this.wake = () => {
        this.wake = undefined;
        clearTimer(timer);
        resolve();
      };
    });
  }

  /** The durability point: encode and write everything waiting (or only the oldest `limitBytes`), now. */
  private writeNowSync(limitBytes = Infinity, write = true): void {
    try {
      // Batches of bounded size: bounded memory, and a disk filling up takes all that fits.
      const batchBytes = Math.min(limitBytes, BATCH_BYTES);
      while (this.head < this.queue.length) {
        this.encodeNext();
        if (this.writer.pendingBytes >= batchBytes) {
          this.writer.writeSync();
          if (limitBytes !== Infinity) break;
        }
      }
      this.compactQueue();
      if (write) this.writer.writeSync();
    } catch (error) {
      this.enterOutage(error);
    }
  }

  /**
   * Moves the next queued trace into the writer's batch. Opening the files can fail (thrown:
   * the trace stays queued); a trace that cannot be encoded is counted and skipped.
   */
  private encodeNext(): void {
    this.writer.ensureOpen();
    const trace = this.queue[this.head]!;
    const at = this.queuedAt[this.head]!;
    this.queue[this.head++] = undefined;
    try {
      this.writer.add(trace, at);
    } catch (error) {
      reportInternalError(`encode for ${this.description}`, error);
      reportDropped(this.description);
    }
  }

  private compactQueue(): void {
    if (this.head > 4096 || this.head === this.queue.length) {
      // Drop the consumed prefix in place: no new array for the GC to copy.
      this.queue.copyWithin(0, this.head);
      this.queue.length -= this.head;
      this.queuedAt.copyWithin(0, this.head);
      this.queuedAt.length -= this.head;
      this.head = 0;
    }
  }

  // ---------- disk failures: back off, keep the batch and the file pair, resume ----------

  private enterOutage(error: unknown): void {
    if (this.outage) {
      this.outage.delayMs = Math.min(this.outage.delayMs * 2, MAX_RETRY_MS);
    } else {
      // Once per outage (and logged once per process): retries that fail again are not new news.
      reportInternalError(`write ${this.description}`, error);
      this.outage = { delayMs: FIRST_RETRY_MS, timer: undefined };
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    const outage = this.outage;
    if (!outage || this.closed) return;
    if (outage.timer) clearTimer(outage.timer);
    // A full disk must not keep a finished program alive; the exit flush makes a last attempt.
    outage.timer = unrefTimer(setTimer(() => this.retry(), outage.delayMs));
  }

  /** Retries the writes that failed (same bytes, same positions); on success the pump resumes. */
  private retry(): void {
    const outage = this.outage;
    if (!outage) return;
    if (outage.timer) clearTimer(outage.timer);
    outage.timer = undefined;
    try {
      this.writer.ensureOpen();
      this.writer.writeSync();
    } catch (error) {
      this.enterOutage(error);
      return;
    }
    this.outage = undefined;
    if (this.head < this.queue.length && !this.closed) this.pumping ??= this.pump();
  }

  // ---------- flushing ----------

  /** Resolves once everything handed over is on disk, or (disk failing) after one more attempt. */
  async flush(): Promise<void> {
    this.flushing++;
    try {
      for (;;) {
        if (this.outage) {
          this.retry();
          if (this.outage) return;
        }
        this.wake?.();
        if (this.pumping) await this.pumping;
        else if (this.hasWork && !this.closed) this.pumping = this.pump();
        else return;
      }
    } finally {
      this.flushing--;
    }
  }

  /** Process exit / destination switch: encode and write everything left, synchronously. */
  flushSync(): void {
    if (this.outage) this.retry();
    if (!this.outage) this.writeNowSync();
    if (this.outage) {
      // Last chance passed: what is still waiting is lost; say how much.
      const lost = this.queue.length - this.head + this.writer.discardUnwritten();
      this.queue.length = this.queuedAt.length = this.head = 0;
      if (lost > 0) reportDropped(this.description, lost);
      if (this.outage.timer) clearTimer(this.outage.timer);
    }
  }

  async shutdown(): Promise<void> {
    await this.flush();
    if (this.outage) this.flushSync();
    this.closed = true;
    if (this.heartbeat) clearRepeating(this.heartbeat);
    this.heartbeat = undefined;
    this.unregister();
    this.writer.close();
    this.store.close();
  }

  // ---------- reading: what was exported so far is visible ----------

  async getTrace(traceId: string): Promise<TraceEntity | undefined> {
    await this.flush();
    return this.store.getTrace(traceId);
  }

  async searchTraces(options?: SearchTracesOptions): Promise<TracePage> {
    await this.flush();
    return this.store.searchTraces(options);
  }

  async deleteTraces(options: DeleteTracesOptions): Promise<number> {
    await this.flush();
    return this.store.deleteTraces(options);
  }
}
