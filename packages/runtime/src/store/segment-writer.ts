/**
 * Appends traces to this process's own segment/index file pair. Traces are encoded into a
 * pending batch (file positions reserved as they are encoded), then the batch is written with
 * two positional writes: bodies first, index records second, so an index record never points
 * at a body that is not on disk. A process killed in between leaves an unindexed body (never
 * visible) or a torn index tail (skipped by readers); records written earlier are untouched.
 *
 * A batch stays "unsettled" until both writes succeeded. A failed write (disk full) keeps the
 * batch and the file pair: retrying writes the same bytes at the same positions, which also
 * completes a write that stopped part-way, so a full disk never multiplies files.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import type { Span } from '../model/span.js';
import type { Trace } from '../model/trace.js';
import { headerText } from './format.js';
import { encodeFrame, FrameBatch } from './frame.js';
import { indexRecordText } from './index-record.js';
import { INDEX_EXT, SEGMENT_EXT, newWriterId, tracesDir } from './layout.js';
import { traceBodyParts, traceInfoBodyText } from './trace-body.js';

interface OpenFiles {
  id: string;
  segFd: number;
  idxFd: number;
  segPos: number;
  idxPos: number;
}

interface Batch {
  files: OpenFiles;
  segStart: number;
  idxStart: number;
  count: number;
  /** When the oldest trace in the batch was handed over (nowMono()). */
  firstAt: number;
}

interface TakenBatch extends Batch {
  seg: Buffer;
  idx: Buffer;
  /** Where each trace's body / index record ends, relative to the batch start. */
  segEnds: number[];
  idxEnds: number[];
  /** Bytes known to be on disk; a batch that fits only partly (disk filling up) is written trace by trace. */
  segDone: number;
  idxDone: number;
  /** Traces whose index record is on disk. */
  settled: number;
}

interface Landed {
  done: number;
  error?: unknown;
}

/** Writes `buf[from..]` at `position + from`; reports how far it got, failing or not. */
function writeFrom(fd: number, buf: Buffer, position: number, from: number): Promise<Landed> {
  return new Promise((resolve) => {
    const step = (done: number): void => {
      if (done >= buf.length) return resolve({ done });
      fs.write(fd, buf, done, buf.length - done, position + done, (error, n) => (error ? resolve({ done, error }) : step(done + n)));
    };
    step(from);
  });
}

function writeFromSync(fd: number, buf: Buffer, position: number, from: number): Landed {
  let done = from;
  try {
    while (done < buf.length) done += fs.writeSync(fd, buf, done, buf.length - done, position + done);
  } catch (error) {
    return { done, error };
  }
  return { done };
}

function writeFullySync(fd: number, buf: Buffer, position: number): void {
  const { error } = writeFromSync(fd, buf, position, 0);
  if (error) throw error;
}

/** Index bytes that may be written: the records of traces whose bodies are entirely on disk. */
function indexReady(b: TakenBatch): number {
  if (b.segDone >= b.seg.length) return b.idx.length;
  let k = b.settled;
  while (k < b.count && b.segEnds[k]! <= b.segDone) k++;
  return k === 0 ? 0 : b.idxEnds[k - 1]!;
}

function noteIndexLanded(b: TakenBatch, done: number): void {
  b.idxDone = Math.max(b.idxDone, done);
  while (b.settled < b.count && b.idxEnds[b.settled]! <= b.idxDone) b.settled++;
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // already closed
  }
}

export class SegmentWriter {
  private files: OpenFiles | undefined;
  private pending: Batch | undefined;
  /** Frames of the pending batch (one growing buffer per batch, no per-trace allocation). */
  private readonly seg = new FrameBatch(1024 * 1024);
  private readonly idx = new FrameBatch(128 * 1024);
  /** Batches taken for writing and not yet known to be on disk (in flight or failed), oldest first. */
  private readonly unsettled: TakenBatch[] = [];
  private segEnds: number[] = [];
  private idxEnds: number[] = [];
  private readonly dir: string;

  constructor(
    root: string,
    /** Rotate to a new file pair once a segment exceeds this size. */
    private readonly segmentLimitBytes = 64 * 1024 * 1024,
  ) {
    this.dir = tracesDir(root);
  }

  get pendingBytes(): number {
    return this.seg.length;
  }

  /** The segment reached its size: it rotates once what is encoded is written (encode no more until then). */
  get segmentFull(): boolean {
    return this.files !== undefined && this.files.segPos >= this.segmentLimitBytes;
  }

  /** Traces encoded but not yet known to be on disk. */
  get unwrittenCount(): number {
    let n = this.pending ? this.pending.count : 0;
    for (const b of this.unsettled) n += b.count - b.settled;
    return n;
  }

  /** When the oldest trace not yet on disk was handed over, if any. */
  get oldestUnwrittenAt(): number | undefined {
    return this.unsettled[0]?.firstAt ?? this.pending?.firstAt;
  }

  /**
   * Opens this writer's file pair if needed (each file starts with a format header). On failure
   * nothing is left behind: a full or read-only disk never accumulates empty files.
   */
  ensureOpen(): void {
    if (this.files) return;
    fs.mkdirSync(this.dir, { recursive: true });
    const id = newWriterId();
    const created: Array<{ path: string; fd: number }> = [];
    try {
      for (const ext of [SEGMENT_EXT, INDEX_EXT]) {
        const path = join(this.dir, id + ext);
        created.push({ path, fd: fs.openSync(path, 'wx') });
      }
      const segHeader = encodeFrame(Buffer.from(headerText('segment')));
      const idxHeader = encodeFrame(Buffer.from(headerText('index')));
      writeFullySync(created[0]!.fd, segHeader, 0);
      writeFullySync(created[1]!.fd, idxHeader, 0);
      this.files = { id, segFd: created[0]!.fd, idxFd: created[1]!.fd, segPos: segHeader.length, idxPos: idxHeader.length };
    } catch (error) {
      for (const { path, fd } of created) {
        closeQuietly(fd);
        fs.rmSync(path, { force: true });
      }
      throw error;
    }
  }

  /** Encodes one trace into the pending batch (call `ensureOpen` first). Throws on data it cannot encode. */
  add(trace: Trace, handedOverAt: number): void {
    const files = this.files;
    if (!files) throw new Error('store files are not open');
    const texts: string[] = [];
    const infoText = traceInfoBodyText(trace.info, texts);
    const spans = trace.data.spans;
    if (spans.length >= LARGE_TRACE_SPANS) this.seg.reserve(infoText.length + estimatedSpansBytes(spans));
    // Span by span, so a trace of thousands of spans is never held as one text while it is
    // written. A span that cannot be encoded throws before anything of this trace is in the batch.
    const bodyLength = this.seg.appendParts(traceBodyParts(infoText, spans, texts));
    const batch = (this.pending ??= { files, segStart: files.segPos, idxStart: files.idxPos, count: 0, firstAt: handedOverAt });
    const idxLength = this.idx.appendText(indexRecordText(trace.info, files.segPos, bodyLength, Buffer.byteLength(infoText)));
    batch.count++;
    files.segPos += bodyLength;
    files.idxPos += idxLength;
    this.segEnds.push(files.segPos - batch.segStart);
    this.idxEnds.push(files.idxPos - batch.idxStart);
  }

  private takePending(): void {
    const batch = this.pending;
    if (!batch) return;
    this.pending = undefined;
    const { segEnds, idxEnds } = this;
    this.segEnds = [];
    this.idxEnds = [];
    this.unsettled.push({ ...batch, seg: this.seg.take(), idx: this.idx.take(), segEnds, idxEnds, segDone: 0, idxDone: 0, settled: 0 });
  }

  private noteBodiesLanded(b: TakenBatch, landed: Landed): number {
    b.segDone = Math.max(b.segDone, landed.done);
    return indexReady(b);
  }

  /**
   * Writes every unsettled batch, then the pending one, in order. Throws on the first failure;
   * that batch and the later ones stay unsettled, to be retried at the same positions.
   */
  async write(): Promise<void> {
    this.takePending();
    while (this.unsettled.length > 0) {
      const b = this.unsettled[0]!;
      const bodies = await writeFrom(b.files.segFd, b.seg, b.segStart, b.segDone);
      const ready = this.noteBodiesLanded(b, bodies);
      const records = await writeFrom(b.files.idxFd, b.idx.subarray(0, ready), b.idxStart, b.idxDone);
      noteIndexLanded(b, records.done);
      const error = bodies.error ?? records.error;
      // A synchronous write may have settled this batch meanwhile: then the data is on disk.
      if (error !== undefined && this.unsettled.includes(b)) throw error;
      if (this.unsettled[0] === b) this.unsettled.shift();
      // Both writes of this batch have returned (a synchronous re-issue returns before it
      // settles anything): no I/O reads its buffers any more. Batches settled by writeSync are
      // not given back, an asynchronous write of theirs may still be in flight.
      this.seg.reuse(b.seg);
      this.idx.reuse(b.idx);
    }
    this.rotateIfFull();
  }

  /**
   * Synchronous variant (durability deadline, retry after a failure, process exit). Re-issues a
   * batch still in flight asynchronously: same bytes at the same positions, harmless if it lands.
   */
  writeSync(): void {
    this.takePending();
    while (this.unsettled.length > 0) {
      const b = this.unsettled[0]!;
      const bodies = writeFromSync(b.files.segFd, b.seg, b.segStart, b.segDone);
      const ready = this.noteBodiesLanded(b, bodies);
      const records = writeFromSync(b.files.idxFd, b.idx.subarray(0, ready), b.idxStart, b.idxDone);
      noteIndexLanded(b, records.done);
      const error = bodies.error ?? records.error;
      if (error !== undefined) throw error;
      this.unsettled.shift();
    }
    this.rotateIfFull();
  }

  /** Forgets what could not be written (give-up at exit/shutdown); returns how many traces that was. */
  discardUnwritten(): number {
    const n = this.unwrittenCount;
    this.takePending();
    this.unsettled.length = 0;
    return n;
  }

  private rotateIfFull(): void {
    if (this.files && !this.pending && this.unsettled.length === 0 && this.files.segPos >= this.segmentLimitBytes) this.closeFiles(this.files, true);
  }

  private closeFiles(files: OpenFiles, seal: boolean): void {
    if (this.files === files) this.files = undefined;
    try {
      if (seal) writeFullySync(files.idxFd, encodeFrame(Buffer.from('{"seal":true}')), files.idxPos);
    } catch {
      // Unsealed files are still readable; they become reclaimable once this process exits.
    }
    closeQuietly(files.segFd);
    closeQuietly(files.idxFd);
  }

  /** Seals and closes the current files (shutdown). */
  close(): void {
    if (this.files && !this.pending && this.unsettled.length === 0) this.closeFiles(this.files, true);
  }
}

/** Traces with this many spans have their size estimated before they are encoded. */
const LARGE_TRACE_SPANS = 256;

/**
 * About what `spans` take encoded: their attribute texts (written as they are, store/trace-body.ts)
 * and the fixed fields of each span, with a quarter more for non-ASCII text.
 * Only lengths are read: well under a microsecond per span, against tens for encoding it.
 */
function estimatedSpansBytes(spans: readonly Span[]): number {
  let chars = 0;
  for (let i = 0; i < spans.length; i++) {
    const attributes = spans[i]!.encodedAttributes;
    chars += 256;
    for (const key in attributes) {
      if (!Object.hasOwn(attributes, key)) continue;
      const value = attributes[key];
      chars += key.length + (typeof value === 'string' ? value.length : 0);
    }
  }
  return Math.ceil(chars * 1.25);
}
