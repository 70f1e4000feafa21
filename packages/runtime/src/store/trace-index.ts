/**
 * A reader's in-memory view of a store's index files, kept current by reading only the bytes
 * appended since the last refresh (live reading while writers run). Bodies are never read
 * here; search filters and sorts on the compact infos and reads bodies for the result page.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { reportInternalError } from '../core/diagnostics.js';
import type { TraceInfo } from '../model/trace.js';
import { asFormatHeader, unsupportedVersionMessage } from './format.js';
import { scanFrames } from './frame.js';
import { compactInfoOf, parseIndexEntry, type IndexRecord } from './index-record.js';
import { Postings } from './postings.js';
import { mergePartInfos, primaryPartIndex } from './trace-parts.js';
import { INDEX_EXT, SEGMENT_EXT, TOMBSTONE_FILE, isProcessAlive, tracesDir, writerPidOf } from './layout.js';
import { nextTurn } from '../platform/timers.js';
import { nowMono } from '../core/clock.js';

export interface IndexedTrace {
  /** Compact info (no previews / traceInputs / traceOutputs); the body has the full one. */
  readonly info: TraceInfo;
  readonly file: IndexFile;
  readonly offset: number;
  readonly length: number;
  readonly infoBytes: number;
  /**
   * Set when the trace id was written more than once (a distributed trace: one part per
   * process, see trace-parts.ts): every part, in the order read; `info` is then their merged
   * info and the body fields are the primary part's.
   */
  readonly parts?: readonly IndexedTrace[];
}

export interface StoreProblem {
  /** `newer-format`: a file written by a newer tracewright (skipped whole; upgrade to read it). */
  kind: 'torn-tail' | 'damaged-record' | 'unreadable' | 'newer-format';
  file: string;
  offset: number;
  bytes: number;
  message: string;
}

export class IndexFile {
  readOffset = 0;
  entries = 0;
  dead = 0;
  sealed = false;
  /** Read to the end after the writer finished (sealed or exited): nothing more will ever appear. */
  complete = false;
  /** Bytes at the end not (yet) forming a complete record. */
  pendingBytes = 0;
  /** Set when the file's header names a format this reader does not understand: never read. */
  unsupported = false;
  segFd: number | undefined;
  readonly writerPid: number | undefined;

  constructor(
    readonly name: string,
    readonly idxPath: string,
    readonly segPath: string,
  ) {
    this.writerPid = writerPidOf(name);
  }

  /** No process will append to this file again. */
  get finished(): boolean {
    return this.sealed || !isProcessAlive(this.writerPid);
  }

  segmentFd(): number {
    this.segFd ??= fs.openSync(this.segPath, 'r');
    return this.segFd;
  }

  close(): void {
    if (this.segFd !== undefined) {
      try {
        fs.closeSync(this.segFd);
      } catch {
        // already gone
      }
      this.segFd = undefined;
    }
  }
}

/** Reads `[from, end of file)`; undefined if the file vanished. */
export function readTailSync(path: string, from: number): Buffer | undefined {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size <= from) return Buffer.alloc(0);
    const buf = Buffer.allocUnsafe(size - from);
    let got = 0;
    while (got < buf.length) {
      const n = fs.readSync(fd, buf, got, buf.length - got, from + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}

async function readTailAsync(path: string, from: number): Promise<Buffer | undefined> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const size = (await handle.stat()).size;
    if (size <= from) return Buffer.alloc(0);
    const buf = Buffer.allocUnsafe(size - from);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await handle.read(buf, got, buf.length - got, from + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await handle.close();
  }
}

/** No traces directory yet is an empty store; anything else (a file in its place...) makes the store unreadable: thrown. */
function listOrEmpty(list: () => string[]): string[] {
  try {
    return list();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * One refresh, written once as a generator of I/O requests so it can be driven synchronously
 * (count(), small stores) or asynchronously with pauses (a large store loads without blocking
 * the event loop for more than a slice).
 */
type Step = { op: 'list' } | { op: 'read'; path: string; from: number } | { op: 'pause' };
/** A read answers the bytes, undefined (file vanished) or the error (e.g. a directory where a file belongs). */
type StepResult = string[] | Buffer | Error | undefined;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
/** Records parsed between pause opportunities. */
const RECORDS_PER_STEP = 2_000;
const ASYNC_SLICE_MS = 8;

type TombstoneEntry = { ids: string[] } | { skip: StoreProblem['kind']; reason: string } | undefined;

/**
 * The ids a tombstone frame deletes; undefined for this version's format header; or why the
 * frame is skipped. Several processes append tombstones, so a header may appear anywhere.
 */
function parseTombstone(payload: Buffer): TombstoneEntry {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    return { skip: 'damaged-record', reason: `unparseable tombstone: ${(error as Error).message}` };
  }
  const header = asFormatHeader(value);
  if (header) {
    const unsupported = unsupportedVersionMessage(header);
    return unsupported ? { skip: 'newer-format', reason: unsupported } : undefined;
  }
  const ids = (value as { d?: unknown } | null)?.d;
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) return { skip: 'damaged-record', reason: 'invalid tombstone: expected {"d": [trace ids]}; skipped' };
  return { ids: ids as string[] };
}

export class TraceIndex {
  readonly traces = new Map<string, IndexedTrace>();
  readonly postings = new Postings<IndexedTrace>();
  private readonly files = new Map<string, IndexFile>();
  private readonly deleted = new Set<string>();
  private tombstoneOffset = 0;
  private readonly problemList: StoreProblem[] = [];
  private readonly problemKeys = new Set<string>();
  private readonly dir: string;

  constructor(root: string) {
    this.dir = tracesDir(root);
  }

  get problems(): readonly StoreProblem[] {
    return this.problemList;
  }

  indexFiles(): IterableIterator<IndexFile> {
    return this.files.values();
  }

  isDeleted(traceId: string): boolean {
    return this.deleted.has(traceId);
  }

  /** Picks up everything written (and deleted, and reclaimed) since the last call. Synchronous. */
  refresh(): void {
    // An async refresh in progress owns the read offsets; its result is at most a moment old.
    if (this.asyncRefreshes > 0) return;
    const steps = this.refreshSteps();
    let result: StepResult;
    for (let step = steps.next(); !step.done; step = steps.next(result)) {
      const s = step.value;
      if (s.op === 'list') result = listOrEmpty(() => fs.readdirSync(this.dir));
      else if (s.op === 'read') {
        try {
          result = readTailSync(s.path, s.from);
        } catch (error) {
          result = asError(error);
        }
      } else result = undefined;
    }
  }

  /** Same as refresh, with asynchronous reads and pauses so a large store never blocks the loop. */
  refreshAsync(): Promise<void> {
    // Serialised: each caller gets a refresh that starts after its call (it sees all prior writes).
    this.asyncChain = this.asyncChain.catch(() => undefined).then(() => this.runAsync());
    return this.asyncChain;
  }

  private asyncChain: Promise<void> = Promise.resolve();
  private asyncRefreshes = 0;

  private async runAsync(): Promise<void> {
    this.asyncRefreshes++;
    try {
      const steps = this.refreshSteps();
      let result: StepResult;
      let sliceStart = nowMono();
      for (let step = steps.next(); !step.done; step = steps.next(result)) {
        const s = step.value;
        if (s.op === 'list') result = await fs.promises.readdir(this.dir).catch((error: unknown) => listOrEmpty(() => { throw error; }));
        else if (s.op === 'read') result = await readTailAsync(s.path, s.from).catch(asError);
        else {
          result = undefined;
          if (nowMono() - sliceStart > ASYNC_SLICE_MS) {
            await nextTurn();
            sliceStart = nowMono();
          }
        }
      }
    } finally {
      this.asyncRefreshes--;
    }
  }

  private *refreshSteps(): Generator<Step, void, StepResult> {
    const names = (yield { op: 'list' }) as string[];
    const present = new Set<string>();
    for (const name of names) {
      if (!name.endsWith(INDEX_EXT)) continue;
      present.add(name);
      let file = this.files.get(name);
      if (!file) {
        const base = name.slice(0, -INDEX_EXT.length);
        file = new IndexFile(name, join(this.dir, name), join(this.dir, base + SEGMENT_EXT));
        this.files.set(name, file);
      }
      yield* this.readIndexFile(file);
    }
    for (const [name, file] of this.files) {
      if (!present.has(name)) this.forget(file);
    }
    yield* this.readTombstones();
  }

  private *readIndexFile(file: IndexFile): Generator<Step, void, StepResult> {
    // A file read to its end after its writer finished never changes again: skip the syscalls.
    if (file.complete || file.unsupported) return;
    const finishedBeforeRead = file.finished;
    const tail = (yield { op: 'read', path: file.idxPath, from: file.readOffset }) as Buffer | Error | undefined;
    if (tail instanceof Error) {
      // Reported once (same key each time) and retried on the next refresh; other files are unaffected.
      this.problem('unreadable', file.idxPath, file.readOffset, 0, `cannot read index file: ${tail.message}`);
      return;
    }
    if (finishedBeforeRead) file.complete = true;
    if (!tail || tail.length === 0) return;
    const scan = scanFrames(tail);
    let n = 0;
    for (const frame of scan.frames) {
      if (++n % RECORDS_PER_STEP === 0) yield { op: 'pause' };
      const at = file.readOffset + frame.offset;
      const entry = parseIndexEntry(frame.payload);
      if (entry.kind === 'record') this.add(file, entry.record);
      else if (entry.kind === 'seal') file.sealed = true;
      else if (entry.kind === 'header' && at === 0) {
        const unsupported = unsupportedVersionMessage(entry.header);
        if (unsupported) {
          file.unsupported = true;
          this.problem('newer-format', file.idxPath, 0, tail.length, unsupported);
          return;
        }
      } else {
        const reason = entry.kind === 'invalid' ? entry.reason : 'format header in the middle of the file';
        this.problem('damaged-record', file.idxPath, at, frame.payload.length, `${reason}; skipped`);
      }
    }
    for (const d of scan.damage) {
      this.problem('damaged-record', file.idxPath, file.readOffset + d.offset, d.bytes, 'skipped damaged bytes between records');
    }
    file.readOffset += scan.consumed;
    file.pendingBytes = tail.length - scan.consumed;
    if (file.sealed && file.pendingBytes === 0) file.complete = true;
    if (file.pendingBytes > 0 && file.complete) {
      // The writer is gone, so these bytes will never complete: a write torn by a crash/kill.
      this.problem('torn-tail', file.idxPath, file.readOffset, file.pendingBytes, 'incomplete record at the end (writer was killed mid-write); skipped');
    }
  }

  private add(file: IndexFile, r: IndexRecord): void {
    file.entries++;
    if (this.deleted.has(r.i)) {
      file.dead++;
      return;
    }
    const part: IndexedTrace = { info: compactInfoOf(r), file, offset: r.o, length: r.l, infoBytes: r.il };
    const existing = this.traces.get(r.i);
    this.put(r.i, existing ? [...(existing.parts ?? [existing]), part] : [part]);
  }

  private put(id: string, parts: readonly IndexedTrace[]): void {
    let t = parts[0]!;
    if (parts.length > 1) {
      const primary = parts[primaryPartIndex(parts.map((p) => p.info))]!;
      t = { ...primary, info: mergePartInfos(parts.map((p) => p.info)), parts };
    }
    this.traces.set(id, t);
    // Entries of an earlier version of the trace stay in the postings; isLive filters them out.
    this.postings.add(t);
  }

  /** True if `t` is the current, not deleted, entry for its trace id. */
  isLive(t: IndexedTrace): boolean {
    return this.traces.get(t.info.traceId) === t;
  }

  private forget(file: IndexFile): void {
    file.close();
    this.files.delete(file.name);
    for (const [id, t] of this.traces) {
      const parts = t.parts ?? [t];
      if (!parts.some((p) => p.file === file)) continue;
      const left = parts.filter((p) => p.file !== file);
      if (left.length === 0) this.traces.delete(id);
      else this.put(id, left);
    }
  }

  private *readTombstones(): Generator<Step, void, StepResult> {
    const path = join(this.dir, TOMBSTONE_FILE);
    const tail = (yield { op: 'read', path, from: this.tombstoneOffset }) as Buffer | Error | undefined;
    if (tail instanceof Error) {
      this.problem('unreadable', path, this.tombstoneOffset, 0, `cannot read tombstones: ${tail.message}`);
      return;
    }
    if (!tail || tail.length === 0) return;
    const scan = scanFrames(tail);
    for (const frame of scan.frames) {
      const at = this.tombstoneOffset + frame.offset;
      const entry = parseTombstone(frame.payload);
      if (entry && 'ids' in entry) for (const id of entry.ids) this.markDeleted(id);
      else if (entry) this.problem(entry.skip, path, at, frame.payload.length, entry.reason);
    }
    this.tombstoneOffset += scan.consumed;
  }

  markDeleted(id: string): void {
    if (this.deleted.has(id)) return;
    this.deleted.add(id);
    const t = this.traces.get(id);
    if (t) {
      for (const part of t.parts ?? [t]) part.file.dead++;
      this.traces.delete(id);
    }
  }

  problem(kind: StoreProblem['kind'], file: string, offset: number, bytes: number, message: string): void {
    const key = `${kind}:${file}:${offset}`;
    if (this.problemKeys.has(key)) return;
    this.problemKeys.add(key);
    this.problemList.push({ kind, file, offset, bytes, message });
    // A newer format is not damage: its own site, so its message is logged even after a torn tail was.
    reportInternalError(kind === 'newer-format' ? 'local store format' : 'local store read', new Error(`${file} @${offset}: ${message}`));
  }

  close(): void {
    for (const f of this.files.values()) f.close();
  }
}
