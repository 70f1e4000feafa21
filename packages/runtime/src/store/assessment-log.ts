/**
 * Durable assessments for the local store: `<root>/traces/assessments.log`, framed JSON
 * records appended by any process (one O_APPEND write per change, like tombstones), read
 * incrementally by every reader. A record is `{"s": <assessment>}` (the assessment's whole new
 * state) or `{"x": [traceId, assessmentId]}` (deleted). Trace bodies are never rewritten: the
 * log is overlaid on the assessments a trace was written with (imported MLflow traces carry
 * some), last record wins. Overriding writes both records (old one `valid: false`, new one)
 * in one append, so no reader sees one without the other; history stays in the log.
 */
import { join } from 'node:path';
import type { TraceInfo } from '../model/trace.js';
import type { Assessment } from '../assessments/entity.js';
import type { AssessmentJournal, AssessmentRecord } from '../assessments/journaled.js';
import { asFormatHeader, unsupportedVersionMessage } from './format.js';
import { encodeFrame, scanFrames } from './frame.js';
import { appendFrames, createWithHeader } from './headed-file.js';
import { tracesDir } from './layout.js';
import { readTailSync, type StoreProblem } from './trace-index.js';

export const ASSESSMENTS_FILE = 'assessments.log';

type Problem = (kind: StoreProblem['kind'], file: string, offset: number, bytes: number, message: string) => void;


function isAssessment(v: unknown): v is Assessment {
  const a = v as Partial<Assessment> | null;
  return typeof a === 'object' && a !== null && typeof a.assessment_id === 'string' && typeof a.trace_id === 'string' && typeof a.assessment_name === 'string';
}

export class AssessmentLog implements AssessmentJournal {
  readonly path: string;
  private offset = 0;
  private skipAll = false;
  /** trace id → assessment id → latest state (null: deleted) */
  private readonly changes = new Map<string, Map<string, Assessment | null>>();

  constructor(
    root: string,
    private readonly problem: Problem,
  ) {
    this.path = join(tracesDir(root), ASSESSMENTS_FILE);
  }

  /** Reads what any process appended since the last call. */
  refresh(): void {
    if (this.skipAll) return;
    let tail: Buffer | undefined;
    try {
      tail = readTailSync(this.path, this.offset);
    } catch (error) {
      this.problem('unreadable', this.path, this.offset, 0, `cannot read assessments: ${(error as Error).message}`);
      return;
    }
    if (!tail || tail.length === 0) return;
    const scan = scanFrames(tail);
    for (const frame of scan.frames) {
      const at = this.offset + frame.offset;
      let value: unknown;
      try {
        value = JSON.parse(frame.payload.toString('utf8'));
      } catch (error) {
        this.problem('damaged-record', this.path, at, frame.payload.length, `unparseable assessment record: ${(error as Error).message}; skipped`);
        continue;
      }
      const header = asFormatHeader(value);
      if (header) {
        const unsupported = unsupportedVersionMessage(header);
        if (unsupported) {
          this.skipAll = true;
          this.problem('newer-format', this.path, at, tail.length, unsupported);
          return;
        }
        continue;
      }
      const r = value as Partial<{ s: unknown; x: unknown }>;
      if (isAssessment(r.s)) this.set(r.s.trace_id, r.s.assessment_id, r.s);
      else if (Array.isArray(r.x) && r.x.length === 2 && r.x.every((id) => typeof id === 'string')) this.set(r.x[0], r.x[1], null);
      else this.problem('damaged-record', this.path, at, frame.payload.length, 'invalid assessment record: expected {"s": assessment} or {"x": [traceId, assessmentId]}; skipped');
    }
    // A torn tail (writer killed mid-append) stays unread: the next refresh re-reads from here.
    this.offset += scan.consumed;
  }

  private set(traceId: string, assessmentId: string, state: Assessment | null): void {
    let forTrace = this.changes.get(traceId);
    if (!forTrace) this.changes.set(traceId, (forTrace = new Map()));
    forTrace.delete(assessmentId); // re-inserted last: logged order is the list order
    forTrace.set(assessmentId, state);
  }

  /** The trace's current assessments: those it was written with, overlaid by the log. */
  assessmentsOf(info: TraceInfo): unknown[] {
    const forTrace = this.changes.get(info.traceId);
    if (!forTrace) return info.assessments;
    const out: unknown[] = [];
    for (const a of info.assessments) {
      const id = isAssessment(a) ? a.assessment_id : undefined;
      if (id === undefined || !forTrace.has(id)) out.push(a);
    }
    for (const state of forTrace.values()) if (state) out.push(state);
    // Written-with assessments that were later changed appear at their latest position.
    return out;
  }

  /** `info` with its current assessments (the same object when the log has nothing for it). */
  apply<T extends TraceInfo>(info: T): T {
    if (!this.changes.has(info.traceId)) return info;
    const copy = Object.assign(Object.create(Object.getPrototypeOf(info) as object), info) as T;
    copy.assessments = this.assessmentsOf(info);
    return copy;
  }

  find(info: TraceInfo, assessmentId: string): Assessment | undefined {
    return this.assessmentsOf(info).find((a): a is Assessment => isAssessment(a) && a.assessment_id === assessmentId);
  }

  append(records: AssessmentRecord[]): void {
    createWithHeader(this.path, 'assessments');
    appendFrames(this.path, records.map((r) => encodeFrame(Buffer.from(JSON.stringify(r)))));
    this.refresh();
  }
}
