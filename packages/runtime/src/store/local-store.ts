/**
 * Reading side of the local store: search, get, delete/retention and experiments over a store
 * directory, live (each call first picks up what writers appended since the last one). Used by
 * the local destination for the public getTrace/searchTraces, and directly by the CLI/viewer
 * via `LocalTraceStore.open(dir)`.
 */
import * as fs from 'node:fs';
import { join, resolve } from 'node:path';
import type { DeleteTracesOptions, SearchTracesOptions, TracePage, TraceReader } from '../export/destination.js';
import { traceInfoFromJson } from '../model/json.js';
import type { Span } from '../model/span.js';
import { TraceDataEntity, TraceEntity, type TraceInfo } from '../model/trace.js';
import type * as Search from '../search/index.js';
import { mayReadAssessments, sessionAssessmentIndex, sessionAssessmentsFor } from '../search/assessments.js';
import type { SearchableTrace } from '../search/compile.js';
import type { AssessmentBackend } from '../assessments/backend.js';
import { AssessmentLog } from './assessment-log.js';
import { ExperimentRegistry, type Experiment } from './experiments.js';
import { JournaledAssessments } from '../assessments/journaled.js';
import { decodeFrameAt, encodeFrame } from './frame.js';
import { mentionsBodyOnlyFields } from './index-record.js';
import { LOCKS_DIR, TOMBSTONE_FILE, tracesDir } from './layout.js';
import { LockBusyError, withFileLock } from './lock.js';
import { appendFrames, createWithHeader } from './headed-file.js';
import { TraceIndex, type IndexedTrace, type StoreProblem } from './trace-index.js';
import { mergePartInfos, mergePartSpans } from './trace-parts.js';
import { infoJsonFromBody, spansFromBody, traceFromBody } from './trace-body.js';
import { wallNowMs } from '../core/clock.js';

/**
 * The search engine (filter parser, RE2 matcher) is loaded by the first search, not with the
 * store: a program that only writes traces never loads it (about a fifth of the runtime's import
 * time, re2js included).
 */
let search: Promise<typeof Search> | undefined;
const loadSearch = () => (search ??= import('../search/index.js'));

export type { Experiment } from './experiments.js';
export type { StoreProblem } from './trace-index.js';

/** Tombstone records are capped so one huge delete never becomes one huge frame. */
const TOMBSTONE_CHUNK = 5_000;

export interface RetentionPolicy {
  /** Delete traces that started more than this many ms ago. */
  maxAgeMs?: number;
  /** Keep only this many newest traces per experiment. */
  maxTraces?: number;
}

function readBodyFrameSync(t: IndexedTrace, bytes: number): Buffer {
  const buf = Buffer.allocUnsafe(bytes);
  const n = fs.readSync(t.file.segmentFd(), buf, 0, bytes, t.offset);
  return buf.subarray(0, n);
}

function readBodyFrame(t: IndexedTrace, bytes: number): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    let fd: number;
    try {
      fd = t.file.segmentFd();
    } catch (error) {
      reject(error);
      return;
    }
    const buf = Buffer.allocUnsafe(bytes);
    fs.read(fd, buf, 0, bytes, t.offset, (err, n) => (err ? reject(err) : resolvePromise(buf.subarray(0, n))));
  });
}

/**
 * `items` sorted by `compare`, sliced to [offset, offset + size). A first page out of many
 * matches (the viewer's "newest 100 of everything") is selected in O(n log k) instead of sorting
 * all n matches.
 */
export function pageOf<T>(items: T[], offset: number, size: number, compare: (a: T, b: T) => number): T[] {
  const k = offset + size;
  if (items.length <= 4 * k) return items.sort(compare).slice(offset, k);
  const best: T[] = [];
  for (const item of items) {
    if (best.length === k && compare(item, best[k - 1]!) >= 0) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(best[mid]!, item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, item);
    if (best.length > k) best.pop();
  }
  return best.slice(offset, k);
}

export class LocalTraceStore implements TraceReader {
  readonly root: string;
  private readonly index: TraceIndex;
  private readonly experiments: ExperimentRegistry;
  private readonly assessmentLog: AssessmentLog;
  /** MLflow's assessment endpoints over this store (durable, shared by every process). */
  readonly assessments: AssessmentBackend;

  /** Opens an existing store directory (e.g. ./mlruns). Throws if it does not exist. */
  static open(dir: string): LocalTraceStore {
    const root = resolve(dir);
    let isDir = false;
    try {
      isDir = fs.statSync(root).isDirectory();
    } catch {
      // reported below
    }
    if (!isDir) throw new Error(`LocalTraceStore.open(${JSON.stringify(dir)}): no trace store directory at ${root}`);
    return new LocalTraceStore(root);
  }

  /** For writers: the directory may not exist yet (it is created by the first write). */
  constructor(root: string) {
    this.root = resolve(root);
    this.index = new TraceIndex(this.root);
    this.experiments = new ExperimentRegistry(this.root);
    this.assessmentLog = new AssessmentLog(this.root, (...p) => this.index.problem(...p));
    this.assessments = new JournaledAssessments(this.assessmentLog, async (traceId) => {
      await this.index.refreshAsync();
      return this.index.traces.get(traceId)?.info;
    });
  }

  // ---------- experiments ----------

  listExperiments(): Experiment[] {
    return this.experiments.list();
  }
  getExperimentByName(name: string): Experiment | undefined {
    return this.experiments.getByName(name);
  }
  getExperiment(experimentId: string): Experiment | undefined {
    return this.experiments.getById(experimentId);
  }
  /** The id of the experiment named `name`, created if missing (synchronous, safe across processes). */
  getOrCreateExperiment(name: string): string {
    return this.experiments.getOrCreate(name);
  }
  /** Same, waiting without blocking the event loop if another process is creating one right now. */
  getOrCreateExperimentAsync(name: string): Promise<string> {
    return this.experiments.getOrCreateAsync(name);
  }

  // ---------- reading ----------

  /** Picks up what writers appended (and deletions) since the last call (synchronous). */
  refresh(): void {
    this.index.refresh();
  }

  /** Same as refresh, without blocking the event loop on a large store (reads async, parses in slices). */
  refreshAsync(): Promise<void> {
    return this.index.refreshAsync();
  }

  /** Number of live (not deleted) traces, after a refresh. */
  count(experimentId?: string): number {
    this.refresh();
    if (experimentId === undefined) return this.index.traces.size;
    let n = 0;
    for (const t of this.index.traces.values()) if (t.info.traceLocation.mlflowExperiment.experimentId === experimentId) n++;
    return n;
  }

  /** Torn tails and damaged records skipped so far (each reported once to the diagnostics). */
  problems(): readonly StoreProblem[] {
    return this.index.problems;
  }

  async getTrace(traceId: string): Promise<TraceEntity | undefined> {
    if (typeof traceId !== 'string' || traceId === '') throw new TypeError(`getTrace(traceId): expected a trace id string, got ${JSON.stringify(traceId)}`);
    await this.index.refreshAsync();
    this.assessmentLog.refresh();
    const t = this.index.traces.get(traceId);
    return t ? this.readTrace(t) : undefined;
  }

  /**
   * MLflow search: filter string, order_by, pagination. Without `experimentIds`, searches all
   * experiments. `includeSpans: false` reads only the info part of each result's body. Throws
   * SearchTimeoutError when scanning takes longer than `timeoutMs` (default 10 s).
   */
  async searchTraces(options: SearchTracesOptions = {}): Promise<TracePage> {
    const { experimentIds, filterString, orderBy, pageToken, includeSpans = true } = options;
    if (experimentIds !== undefined && (!Array.isArray(experimentIds) || !experimentIds.every((x) => typeof x === 'string'))) {
      throw new TypeError(`searchTraces: "experimentIds" must be an array of strings, got ${JSON.stringify(experimentIds)}`);
    }
    const { compileExpression, compileOrderBy, decodePageToken, encodePageToken, needsSpans, pageTokenContext, parseFilter, startDeadline, validateMaxResults, validateTimeoutMs } =
      await loadSearch();
    const maxResults = validateMaxResults(options.maxResults);
    const expression = filterString === undefined ? undefined : parseFilter(filterString);
    const matches = expression ? compileExpression(expression) : () => true;
    const compare = compileOrderBy(orderBy);
    const context = pageTokenContext({ filterString, orderBy, experimentIds });
    const offset = pageToken ? decodePageToken(pageToken, context) : 0;
    const timeoutMs = validateTimeoutMs(options.timeoutMs);

    await this.index.refreshAsync();
    this.assessmentLog.refresh();
    const experiments = experimentIds ? new Set(experimentIds) : undefined;
    const hydrate = mentionsBodyOnlyFields(filterString, ...(orderBy ?? []));
    const withSpans = needsSpans(filterString);
    const hits: Array<{ t: IndexedTrace; info: TraceInfo }> = [];
    // An indexed equality (user, session, tag...) narrows the scan to its posting list.
    const indexed = expression && this.index.postings.candidates(expression, (t) => this.index.isLive(t));
    const candidates = indexed ?? this.index.traces.values();
    // The budget starts once the index is current: catching up yields to the event loop, scanning does not.
    const overBudget = startDeadline(timeoutMs, indexed ? indexed.length : this.index.traces.size);
    const inScope = (t: IndexedTrace) => !experiments || experiments.has(t.info.traceLocation.mlflowExperiment.experimentId);
    // Session-level assessments apply to every trace of their session, wherever the scan starts.
    const sessions = mayReadAssessments(filterString)
      ? sessionAssessmentIndex([...this.index.traces.values()].filter(inScope).map((t) => this.assessmentLog.apply(t.info)))
      : undefined;
    for (const t of candidates) {
      overBudget();
      if (!inScope(t)) continue;
      const written = hydrate ? this.readInfoSync(t) : t.info;
      if (!written) continue;
      const info = this.assessmentLog.apply(written);
      const searchable: SearchableTrace = { info };
      if (withSpans) searchable.spans = () => this.readSpansSync(t);
      if (sessions) searchable.sessionAssessments = sessionAssessmentsFor(info, sessions);
      if (matches(searchable)) hits.push({ t, info });
    }
    const page = pageOf(hits, offset, maxResults, (a, b) => compare(a.info, b.info));
    const traces = await Promise.all(page.map((h) => (includeSpans ? this.readTrace(h.t) : this.readInfoOnly(h.t))));
    const result: TracePage = { traces: traces.filter((x): x is TraceEntity => x !== undefined) };
    const next = offset + page.length;
    if (next < hits.length) result.nextPageToken = encodePageToken(next, context);
    return result;
  }

  /** A trace written in parts (distributed trace) is read whole: every part, merged. */
  private async readTrace(t: IndexedTrace): Promise<TraceEntity | undefined> {
    if (!t.parts) return this.readPart(t);
    const parts = (await Promise.all(t.parts.map((p) => this.readPart(p)))).filter((x): x is TraceEntity => x !== undefined);
    if (parts.length === 0) return undefined;
    return new TraceEntity(mergePartInfos(parts.map((p) => p.info)), new TraceDataEntity(mergePartSpans(parts.map((p) => p.data.spans))));
  }

  private async readPart(t: IndexedTrace): Promise<TraceEntity | undefined> {
    try {
      const payload = decodeFrameAt(await readBodyFrame(t, t.length));
      if (payload) {
        const trace = traceFromBody(payload);
        trace.info.assessments = this.assessmentLog.assessmentsOf(trace.info);
        return trace;
      }
      this.index.problem('damaged-record', t.file.segPath, t.offset, t.length, `body of ${t.info.traceId} fails its checksum`);
    } catch (error) {
      this.index.problem('unreadable', t.file.segPath, t.offset, t.length, `body of ${t.info.traceId}: ${(error as Error).message}`);
    }
    return undefined;
  }

  /** Reads just the info part of the body (previews included): no span parsing. */
  private async readInfoOnly(t: IndexedTrace): Promise<TraceEntity | undefined> {
    if (t.parts) {
      const infos = (await Promise.all(t.parts.map((p) => this.readInfoOnly(p)))).flatMap((x) => (x ? [x.info] : []));
      return infos.length === 0 ? undefined : new TraceEntity(mergePartInfos(infos), new TraceDataEntity());
    }
    try {
      const frame = await readBodyFrame(t, t.length);
      const payload = decodeFrameAt(frame);
      if (payload) {
        const info = traceInfoFromJson(infoJsonFromBody(payload, t.infoBytes));
        info.assessments = this.assessmentLog.assessmentsOf(info);
        return new TraceEntity(info, new TraceDataEntity());
      }
      this.index.problem('damaged-record', t.file.segPath, t.offset, t.length, `body of ${t.info.traceId} fails its checksum`);
    } catch (error) {
      this.index.problem('unreadable', t.file.segPath, t.offset, t.length, `body of ${t.info.traceId}: ${(error as Error).message}`);
    }
    return undefined;
  }

  private readPayloadSync(t: IndexedTrace): Buffer | undefined {
    try {
      return decodeFrameAt(readBodyFrameSync(t, t.length));
    } catch (error) {
      this.index.problem('unreadable', t.file.segPath, t.offset, t.length, `body of ${t.info.traceId}: ${(error as Error).message}`);
      return undefined;
    }
  }

  private readInfoSync(t: IndexedTrace): TraceInfo | undefined {
    if (t.parts) {
      const infos = t.parts.flatMap((p) => this.readInfoSync(p) ?? []);
      return infos.length === 0 ? undefined : mergePartInfos(infos);
    }
    const payload = this.readPayloadSync(t);
    if (!payload) return undefined;
    try {
      return traceInfoFromJson(infoJsonFromBody(payload, t.infoBytes));
    } catch (error) {
      this.index.problem('damaged-record', t.file.segPath, t.offset, t.length, `body of ${t.info.traceId} is not a trace: ${(error as Error).message}`);
      return undefined;
    }
  }

  private readSpansSync(t: IndexedTrace): readonly Span[] {
    if (t.parts) return mergePartSpans(t.parts.map((p) => this.readSpansSync(p)));
    const payload = this.readPayloadSync(t);
    if (!payload) return [];
    try {
      return spansFromBody(payload);
    } catch (error) {
      this.index.problem('damaged-record', t.file.segPath, t.offset, t.length, `body of ${t.info.traceId} is not a trace: ${(error as Error).message}`);
      return [];
    }
  }

  // ---------- deletion and retention ----------

  /**
   * Deletes traces matching ANY given criterion (ids, started before `maxTimestampMillis`,
   * beyond the newest `maxTraces`), restricted to `experimentId` if given (else all
   * experiments; `maxTraces` then applies per experiment). Returns how many were deleted.
   * Deletion appends a tombstone (visible to every reader at once); the disk space of files
   * whose traces are all deleted is reclaimed once their writer has finished.
   */
  async deleteTraces(options: DeleteTracesOptions): Promise<number> {
    const { experimentId, traceIds, maxTimestampMillis, maxTraces } = options ?? ({} as DeleteTracesOptions);
    if (traceIds === undefined && maxTimestampMillis === undefined && maxTraces === undefined) {
      throw new TypeError('deleteTraces: give at least one of "traceIds", "maxTimestampMillis" or "maxTraces"');
    }
    if (traceIds !== undefined && (!Array.isArray(traceIds) || !traceIds.every((x) => typeof x === 'string'))) {
      throw new TypeError(`deleteTraces: "traceIds" must be an array of strings, got ${JSON.stringify(traceIds)}`);
    }
    if (maxTimestampMillis !== undefined && !Number.isFinite(maxTimestampMillis)) {
      throw new TypeError(`deleteTraces: "maxTimestampMillis" must be a number (ms since the epoch), got ${String(maxTimestampMillis)}`);
    }
    if (maxTraces !== undefined && (!Number.isInteger(maxTraces) || maxTraces < 0)) {
      throw new TypeError(`deleteTraces: "maxTraces" must be a non-negative integer, got ${String(maxTraces)}`);
    }
    await this.index.refreshAsync();
    const inScope = (t: IndexedTrace) => experimentId === undefined || t.info.traceLocation.mlflowExperiment.experimentId === experimentId;
    const doomed = new Set<string>();
    for (const id of traceIds ?? []) {
      const t = this.index.traces.get(id);
      if (t && inScope(t)) doomed.add(id);
    }
    if (maxTimestampMillis !== undefined) {
      for (const t of this.index.traces.values()) if (inScope(t) && t.info.requestTime < maxTimestampMillis) doomed.add(t.info.traceId);
    }
    if (maxTraces !== undefined) {
      const byExperiment = new Map<string, IndexedTrace[]>();
      for (const t of this.index.traces.values()) {
        if (!inScope(t)) continue;
        const x = t.info.traceLocation.mlflowExperiment.experimentId;
        let list = byExperiment.get(x);
        if (!list) byExperiment.set(x, (list = []));
        list.push(t);
      }
      for (const list of byExperiment.values()) {
        if (list.length <= maxTraces) continue;
        list.sort((a, b) => b.info.requestTime - a.info.requestTime || (a.info.traceId < b.info.traceId ? -1 : 1));
        for (let i = maxTraces; i < list.length; i++) doomed.add(list[i]!.info.traceId);
      }
    }
    if (doomed.size === 0) return 0;
    this.appendTombstones([...doomed]);
    for (const id of doomed) this.index.markDeleted(id);
    this.reclaim();
    return doomed.size;
  }

  /** Retention: deletes traces older than `maxAgeMs` and/or beyond the newest `maxTraces` per experiment. */
  applyRetention(policy: RetentionPolicy, experimentId?: string): Promise<number> {
    const { maxAgeMs, maxTraces } = policy;
    if (maxAgeMs !== undefined && (!Number.isFinite(maxAgeMs) || maxAgeMs < 0)) {
      throw new TypeError(`applyRetention: "maxAgeMs" must be a non-negative number, got ${String(maxAgeMs)}`);
    }
    const options: DeleteTracesOptions = {};
    if (experimentId !== undefined) options.experimentId = experimentId;
    if (maxAgeMs !== undefined) options.maxTimestampMillis = wallNowMs() - maxAgeMs;
    if (maxTraces !== undefined) options.maxTraces = maxTraces;
    if (maxAgeMs === undefined && maxTraces === undefined) return Promise.resolve(0);
    return this.deleteTraces(options);
  }

  private appendTombstones(ids: string[]): void {
    const dir = tracesDir(this.root);
    fs.mkdirSync(dir, { recursive: true });
    const frames: Buffer[] = [];
    for (let i = 0; i < ids.length; i += TOMBSTONE_CHUNK) {
      frames.push(encodeFrame(Buffer.from(JSON.stringify({ d: ids.slice(i, i + TOMBSTONE_CHUNK) }))));
    }
    const path = join(dir, TOMBSTONE_FILE);
    createWithHeader(path, 'tombstones');
    appendFrames(path, frames);
  }

  /** Removes file pairs whose traces are all deleted and that no writer will touch again. */
  private reclaim(): void {
    const victims = [...this.index.indexFiles()].filter((f) => f.entries > 0 && f.dead >= f.entries && f.complete);
    if (victims.length === 0) return;
    try {
      withFileLock(join(this.root, LOCKS_DIR, 'reclaim.lock'), () => {
        for (const f of victims) {
          f.close();
          fs.rmSync(f.idxPath, { force: true });
          fs.rmSync(f.segPath, { force: true });
        }
      });
    } catch (error) {
      // Another process is reclaiming right now: these files go at the next deletion.
      if (!(error instanceof LockBusyError)) throw error;
    }
    this.refresh();
  }

  close(): void {
    this.index.close();
  }
}
