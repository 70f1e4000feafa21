/**
 * The embedded default destination: completed traces go to a local store directory.
 *
 * `export` only enqueues. A background pump encodes queued traces in time slices of at most
 * SLICE_MS (yielding to the event loop between slices, so traced request handlers keep their
 * latency), gathers them into batches, and writes each batch with two asynchronous positional
 * writes. Failures (disk full, read-only directory) are counted in the tracing diagnostics,
 * never thrown; later traces are still attempted in a fresh file pair.
 */
import { performance } from 'node:perf_hooks';
import { reportDropped, reportInternalError } from '../core/diagnostics.js';
import type { DeleteTracesOptions, SearchTracesOptions, TraceDestination, TracePage, TraceReader } from '../export/destination.js';
import type { Trace, TraceEntity } from '../model/trace.js';
import { flushOnExit } from './exit-flush.js';
import { LocalTraceStore } from './local-store.js';
import { SegmentWriter } from './segment-writer.js';

const SLICE_MS = 1;
const BATCH_BYTES = 512 * 1024;

export interface LocalStoreDestinationOptions {
  /** Traces waiting to be written beyond this are dropped (and counted). Default 100,000. */
  maxQueuedTraces?: number;
  /** Segment file size at which the writer rotates to a new file pair. Default 64 MiB. */
  segmentBytes?: number;
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

export class LocalStoreDestination implements TraceDestination, TraceReader {
  readonly description: string;
  readonly store: LocalTraceStore;
  private readonly writer: SegmentWriter;
  private readonly maxQueued: number;
  private queue: Array<Trace | undefined> = [];
  private head = 0;
  private pumping: Promise<void> | undefined;
  private closed = false;
  private readonly unregister: () => void;

  constructor(root: string, options: LocalStoreDestinationOptions = {}) {
    this.store = new LocalTraceStore(root);
    this.description = `local store ${this.store.root}`;
    this.writer = new SegmentWriter(this.store.root, options.segmentBytes);
    this.maxQueued = options.maxQueuedTraces ?? 100_000;
    this.unregister = flushOnExit(this);
  }

  get root(): string {
    return this.store.root;
  }

  export(trace: Trace): void {
    if (this.closed || this.queue.length - this.head >= this.maxQueued) {
      reportDropped(this.description);
      return;
    }
    this.queue.push(trace);
    this.pumping ??= this.pump();
  }

  hasPending(): boolean {
    return this.pumping !== undefined || this.head < this.queue.length;
  }

  private async pump(): Promise<void> {
    try {
      // Let the current tick finish first: traces ending together are written together.
      await yieldToLoop();
      while (this.head < this.queue.length) {
        let sliceStart = performance.now();
        while (this.head < this.queue.length && this.writer.pendingBytes < BATCH_BYTES) {
          this.encodeNext();
          if (performance.now() - sliceStart > SLICE_MS) {
            await yieldToLoop();
            sliceStart = performance.now();
          }
        }
        if (this.head > 4096 || this.head === this.queue.length) {
          // Drop the consumed prefix in place: no new array for the GC to copy.
          this.queue.copyWithin(0, this.head);
          this.queue.length -= this.head;
          this.head = 0;
        }
        const count = this.writer.pendingCount;
        try {
          await this.writer.writePending();
        } catch (error) {
          reportInternalError(`write ${this.description}`, error);
          reportDropped(this.description, count);
        }
      }
    } finally {
      this.pumping = undefined;
    }
  }

  async flush(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  /** Process exit: encode and write everything left, synchronously. */
  flushSync(): void {
    while (this.head < this.queue.length) this.encodeNext();
    this.writer.writeAllSync();
  }

  /** Moves the next queued trace into the writer's batch; a trace that cannot be encoded is counted and skipped. */
  private encodeNext(): void {
    const trace = this.queue[this.head]!;
    this.queue[this.head++] = undefined;
    try {
      this.writer.add(trace);
    } catch (error) {
      reportInternalError(`write ${this.description}`, error);
      reportDropped(this.description);
    }
  }

  async shutdown(): Promise<void> {
    await this.flush();
    this.closed = true;
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
