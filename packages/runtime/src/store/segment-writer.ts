/**
 * Appends traces to this process's own segment/index file pair. Traces are encoded into a
 * pending batch (file positions reserved as they are encoded), then the batch is written with
 * two positional writes: bodies first, index records second, so an index record never points
 * at a body that is not on disk. A process killed in between leaves an unindexed body (never
 * visible) or a torn index tail (skipped by readers); records written earlier are untouched.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { traceDataToJsonText, traceInfoToJson } from '../model/json.js';
import type { Trace } from '../model/trace.js';
import { encodeFrame, FrameBatch } from './frame.js';
import { indexRecordText } from './index-record.js';
import { INDEX_EXT, SEGMENT_EXT, newWriterId, tracesDir } from './layout.js';

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
}

function writeFully(fd: number, buf: Buffer, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (done: number): void => {
      if (done >= buf.length) return resolve();
      fs.write(fd, buf, done, buf.length - done, position + done, (err, n) => (err ? reject(err) : step(done + n)));
    };
    step(0);
  });
}

function writeFullySync(fd: number, buf: Buffer, position: number): void {
  for (let done = 0; done < buf.length; ) done += fs.writeSync(fd, buf, done, buf.length - done, position + done);
}

export class SegmentWriter {
  private files: OpenFiles | undefined;
  private pending: Batch | undefined;
  /** Frames of the pending batch (reused across batches: one buffer per batch, no per-trace allocation). */
  private readonly seg = new FrameBatch(1024 * 1024);
  private readonly idx = new FrameBatch(128 * 1024);
  private inflight: { files: OpenFiles; seg: Buffer; idx: Buffer; segStart: number; idxStart: number } | undefined;
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
  get pendingCount(): number {
    return this.pending ? this.pending.count : 0;
  }

  private open(): OpenFiles {
    if (this.files) return this.files;
    fs.mkdirSync(this.dir, { recursive: true });
    const id = newWriterId();
    const segFd = fs.openSync(join(this.dir, id + SEGMENT_EXT), 'wx');
    let idxFd: number;
    try {
      idxFd = fs.openSync(join(this.dir, id + INDEX_EXT), 'wx');
    } catch (error) {
      fs.closeSync(segFd);
      throw error;
    }
    this.files = { id, segFd, idxFd, segPos: 0, idxPos: 0 };
    return this.files;
  }

  /** Encodes one trace into the pending batch. Throws if the store cannot be opened. */
  add(trace: Trace): void {
    const files = this.open();
    const batch = (this.pending ??= { files, segStart: files.segPos, idxStart: files.idxPos, count: 0 });
    // Everything that can throw on odd data runs before the first byte is appended.
    const infoText = JSON.stringify(traceInfoToJson(trace.info));
    const bodyText = `{"info":${infoText},"data":${traceDataToJsonText(trace.data.spans)}}`;
    const bodyLength = this.seg.appendText(bodyText);
    const idxLength = this.idx.appendText(indexRecordText(trace.info, files.segPos, bodyLength, Buffer.byteLength(infoText)));
    batch.count++;
    files.segPos += bodyLength;
    files.idxPos += idxLength;
  }

  /** Writes the pending batch. On failure (thrown) the batch is lost and the next one starts a fresh file pair. */
  async writePending(): Promise<void> {
    const batch = this.pending;
    if (!batch) return;
    this.pending = undefined;
    const flight = { files: batch.files, seg: this.seg.take(), idx: this.idx.take(), segStart: batch.segStart, idxStart: batch.idxStart };
    this.inflight = flight;
    try {
      await writeFully(flight.files.segFd, flight.seg, flight.segStart);
      await writeFully(flight.files.idxFd, flight.idx, flight.idxStart);
    } catch (error) {
      // Positions after a failed write are unreliable: continue in a fresh file pair.
      this.closeFiles(flight.files, false);
      throw error;
    } finally {
      this.inflight = undefined;
    }
    if (this.files === flight.files && flight.files.segPos >= this.segmentLimitBytes) this.closeFiles(flight.files, true);
  }

  /**
   * Process exit: nothing asynchronous will run again. Re-issues the write in flight (same
   * bytes at the same positions, so it is harmless if it did complete), then the pending batch.
   */
  writeAllSync(): void {
    const flight = this.inflight;
    if (flight) {
      writeFullySync(flight.files.segFd, flight.seg, flight.segStart);
      writeFullySync(flight.files.idxFd, flight.idx, flight.idxStart);
    }
    const batch = this.pending;
    if (batch) {
      this.pending = undefined;
      writeFullySync(batch.files.segFd, this.seg.take(), batch.segStart);
      writeFullySync(batch.files.idxFd, this.idx.take(), batch.idxStart);
    }
  }

  private closeFiles(files: OpenFiles, seal: boolean): void {
    if (this.files === files) this.files = undefined;
    try {
      if (seal) writeFullySync(files.idxFd, encodeFrame(Buffer.from('{"seal":true}')), files.idxPos);
    } catch {
      // Unsealed files are still readable; they become reclaimable once this process exits.
    }
    for (const fd of [files.segFd, files.idxFd]) {
      try {
        fs.closeSync(fd);
      } catch {
        // ignore
      }
    }
  }

  /** Seals and closes the current files (shutdown). */
  close(): void {
    if (this.files && !this.pending && !this.inflight) this.closeFiles(this.files, true);
  }
}
