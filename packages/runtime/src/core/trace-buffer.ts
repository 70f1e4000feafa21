/**
 * One in-progress trace: its spans, the trace-level metadata/tags set while it runs, and the
 * step that turns it into a finished {@link Trace} (TraceInfo V3 as MLflow builds it, spec
 * §2.4–§2.6, §4.3) and hands it to the destination.
 */
import {
  Limits,
  SpanAttributeKey,
  SpanStatusCode,
  TRACE_SCHEMA_VERSION,
  TraceMetadataKey,
  TraceState,
  TraceTagKey,
  TracewrightKey,
  type UnfinishedReason,
} from '../model/constants.js';
import type { Span, TokenUsage } from '../model/span.js';
import type { Trace, TraceInfo } from '../model/trace.js';
import { nsToMs } from './clock.js';
import { encodedTraceId } from './ids.js';
import { reportInternalError } from './diagnostics.js';
import { environmentMetadata } from './environment.js';
import { releaseAsyncHooksIfIdle } from './idle-release.js';
import { LiveSpan } from './live-span.js';
import { onProcessEnd, type ProcessEnding } from './process-end.js';
import { RecordBudget } from './record-budget.js';
import { leftovers, runLeftoversQuietly } from './stack-limit.js';
import { runtimeState } from './state.js';
import { clearTimer, setTimer, unrefTimer, type Timer } from '../platform/timers.js';

/** How long a trace whose root has ended waits for still-open child spans before export. */
const ORPHAN_WAIT_MS = 30_000;

/**
 * Traces in progress. Held strongly on purpose: a trace whose spans the program forgot to end
 * is still written (at the latest when the process ends), never silently lost.
 */
// An array with each buffer's index kept in the buffer (removal moves the last one into the
// hole): no hashing on the call path, where a Set's add and delete of every root call's
// buffer cost ~0.1 µs.
const inProgress: TraceBuffer[] = [];
let watchingProcessEnd = false;

function finishAllInProgress(ending: ProcessEnding): void {
  runLeftoversQuietly();
  for (const buffer of inProgress.slice()) buffer.finishUnfinished('exit', ending.ok ? TraceState.OK : TraceState.ERROR);
}

export interface WaitingTrace {
  traceId: string;
  rootSpan: string;
  /** Names of the spans still open under the ended root (what the trace waits for). */
  openSpans: string[];
}

/**
 * Traces whose root span has ended but which are not exported yet because spans under it are
 * still open (they are written when those end, the orphan wait runs out, or the process ends).
 */
export function waitingTraces(): WaitingTrace[] {
  const waiting: WaitingTrace[] = [];
  for (const buffer of inProgress) {
    const root = buffer.root;
    if (!root || !root.isEnded) continue;
    const openSpans = buffer.spans.filter((s) => s instanceof LiveSpan && !s.isEnded).map((s) => s.name);
    waiting.push({ traceId: buffer.traceId, rootSpan: root.name, openSpans });
  }
  return waiting;
}

/** The in-progress trace with this MLflow trace id (`tr-…`), if any. */
export function traceInProgress(traceId: string): TraceBuffer | undefined {
  for (const buffer of inProgress) if (buffer.traceId === traceId) return buffer;
  return undefined;
}

export function tracesInProgress(): number {
  return inProgress.length;
}

export function truncate(value: string, max: number): string {
  return value.length > max ? value.slice(0, max - 3) + '...' : value;
}

/**
 * V8 keeps an object layout (map) only while some object has it. With every finished trace
 * exported by the time of a full GC, it dropped the layouts of spans, their attributes and
 * traces, and deoptimized the whole call path, to be optimized again after every full GC. The
 * latest small plain trace is held for its layouts (at most these many recorded chars and spans,
 * and only spans that hold nothing of the program's but recorded texts, see detachFromTrace).
 */
const LAYOUT_KEEPER_MAX_CHARS = 1024;
const LAYOUT_KEEPER_MAX_SPANS = 8;
let layoutKeeper: Trace | undefined;

// Every finished trace is held until its destination writes it, so a buffer carries only what
// nearly every trace needs; the rest (metadata, tags, previews set by the program, the orphan
// timer) is allocated by the few traces that use it.
const NO_SPANS: Span[] = [];

/** What a trace records only when the program or a fault asks for it. */
interface TraceExtras {
  metadata?: Record<string, string>;
  tags?: Record<string, string>;
  /** Spans not kept because the trace reached maxSpansPerTrace. */
  droppedSpans?: number;
  clientRequestId?: string;
  requestPreview?: string;
  responsePreview?: string;
  stateOverride?: 'OK' | 'ERROR';
  timer?: Timer;
}

/** A trace in progress; it is also the trace's {@link RecordBudget} (one object, not two, per trace). */
export class TraceBuffer extends RecordBudget {
  /**
   * Live spans of this process, plus finished spans adopted from a worker thread. Made with the
   * first span, sized for it (a `[]` grown by push would reserve room for 17).
   */
  spans: Span[] = NO_SPANS;
  private extras: TraceExtras | undefined;
  root: Span | undefined;
  private open = 0;
  /** Where it is in `inProgress`; -1 once finished. */
  private slot: number;

  /** The trace id as the JSON-encoded attribute value every span carries. */
  readonly encodedTraceId: string;

  constructor(
    readonly traceId: string,
    readonly experimentId: string,
  ) {
    super();
    this.encodedTraceId = encodedTraceId(traceId);
    this.slot = inProgress.length;
    inProgress.push(this);
    if (!watchingProcessEnd) {
      watchingProcessEnd = true;
      onProcessEnd('traces', finishAllInProgress);
    }
  }

  /** What this trace may still record (characters, repeated objects): the buffer itself. */
  get budget(): RecordBudget {
    return this;
  }
  /** Trace metadata set while the trace runs (made on first use). */
  get metadata(): Record<string, string> {
    return ((this.extras ??= {}).metadata ??= {});
  }
  /** Trace tags set while the trace runs (made on first use). */
  get tags(): Record<string, string> {
    return ((this.extras ??= {}).tags ??= {});
  }
  get droppedSpans(): number {
    return this.extras?.droppedSpans ?? 0;
  }
  get clientRequestId(): string | undefined {
    return this.extras?.clientRequestId;
  }
  set clientRequestId(value: string | undefined) {
    (this.extras ??= {}).clientRequestId = value;
  }
  get requestPreview(): string | undefined {
    return this.extras?.requestPreview;
  }
  set requestPreview(value: string | undefined) {
    (this.extras ??= {}).requestPreview = value;
  }
  get responsePreview(): string | undefined {
    return this.extras?.responsePreview;
  }
  set responsePreview(value: string | undefined) {
    (this.extras ??= {}).responsePreview = value;
  }
  get stateOverride(): 'OK' | 'ERROR' | undefined {
    return this.extras?.stateOverride;
  }
  set stateOverride(value: 'OK' | 'ERROR' | undefined) {
    (this.extras ??= {}).stateOverride = value;
  }

  /** Room for one more span? Counts the ones refused. */
  admitSpan(): boolean {
    if (this.spans.length < runtimeState().maxSpansPerTrace) return true;
    this.countDropped();
    return false;
  }

  private countDropped(): void {
    const extras = (this.extras ??= {});
    extras.droppedSpans = (extras.droppedSpans ?? 0) + 1;
  }

  get isFinished(): boolean {
    return this.slot === -1;
  }

  onSpanStart(span: LiveSpan): void {
    if (this.spans === NO_SPANS) {
      this.root = span;
      // Not an array literal. V8 watches each literal (its allocation site) and, once most of its
      // objects outlived a young-generation collection (exporters hold finished traces for a
      // while, and with them this array), allocates all of that site's later objects in the old
      // generation. Arrays of traces dropped at once then died there, and the spans they point to
      // survived every young collection until the next full one: every traced call cost about
      // twice as much for the rest of the process (bench/peers: one worker process in two).
      const spans = new Array<Span>(1);
      spans[0] = span;
      this.spans = spans;
    } else {
      this.spans.push(span);
    }
    this.open++;
  }

  onSpanEnd(span: LiveSpan): void {
    if (span === this.root) runtimeState().lastActiveTraceId = this.traceId;
    this.release();
  }

  /**
   * Keeps the trace open for spans recorded elsewhere (a worker thread) as an open span
   * would: the trace is not exported until the returned release is called (idempotent) or
   * the orphan wait runs out.
   */
  hold(): () => void {
    this.open++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.release();
    };
  }

  /** Appends finished spans recorded elsewhere; false (nothing added) once the trace is exported. */
  adoptFinishedSpans(spans: readonly Span[]): boolean {
    if (this.slot === -1) return false;
    if (this.spans === NO_SPANS) this.spans = [];
    for (const span of spans) this.spans.push(span);
    return true;
  }

  private release(): void {
    this.open--;
    if (!this.root || !this.root.isEnded || this.slot === -1) return;
    if (this.open === 0) {
      this.finish();
    } else if (!this.extras?.timer) {
      // Root ended with children still open (fire-and-forget work, unconsumed streams):
      // wait for them, but never hold a trace forever.
      const timer = unrefTimer(setTimer(() => this.finishUnfinished('timeout'), ORPHAN_WAIT_MS));
      (this.extras ??= {}).timer = timer;
    }
  }

  /**
   * Ends every span still open (innermost first, so parents outlive their children), then
   * writes the trace. `state` overrides the trace state (process exit: the exit code decides).
   */
  finishUnfinished(reason: UnfinishedReason, state?: 'OK' | 'ERROR'): void {
    if (this.slot === -1) return;
    // The exit code decides only for a trace whose root is still open: an ended root's status says
    // how the trace went.
    if (state && this.stateOverride === undefined && this.root !== undefined && !this.root.isEnded) this.stateOverride = state;
    for (let i = this.spans.length - 1; i >= 0; i--) {
      const span = this.spans[i];
      if (span instanceof LiveSpan && !span.isEnded) span.endUnfinished(reason);
    }
    this.finish();
  }

  private finish(): void {
    const trace = this.take();
    if (trace === undefined) return;
    try {
      deliver(trace);
    } catch {
      // No stack left to hand it over (the trace's last span ended at the stack limit).
      leftovers[leftovers.length] = () => deliver(trace);
    }
  }

  /**
   * @internal Leaves the registry and returns the trace as it stands, without exporting it
   * (InMemoryTraceManager.popTrace); undefined once finished or when it cannot be built.
   */
  take(): Trace | undefined {
    if (this.slot === -1) return undefined;
    // The summary (TraceInfo) is built when a destination first reads it, off the call path.
    // Made before leaving `inProgress`: if either fails (no stack left) the trace is still in
    // progress, and is written when the process ends rather than lost.
    const plain = this.isPlain;
    const trace = new FinishedTrace(this, plain);
    this.leaveInProgress();
    if (this.extras?.timer) clearTimer(this.extras.timer);
    if (inProgress.length === 0) releaseAsyncHooksIfIdle(0);
    if (plain && this.detachEndedSpans() && this.used <= LAYOUT_KEEPER_MAX_CHARS && this.spans.length <= LAYOUT_KEEPER_MAX_SPANS) {
      layoutKeeper = trace;
    }
    return trace;
  }

  /**
   * True when the trace carries nothing beyond its spans (no metadata, tags, previews or state
   * set by the program, nothing dropped or truncated) and its root is its first span: its
   * summary can then be built from the spans alone, and the buffer need not outlive it.
   */
  private get isPlain(): boolean {
    return this.extras === undefined && this.truncated === 0 && this.root !== undefined && this.spans[0] === this.root && this.root.traceId === this.traceId;
  }

  /**
   * A finished trace waits for its destination with its spans; their links to this buffer
   * would keep it (and what it remembered of recorded objects) alive as long. Ended spans keep
   * only the trace id, and code still holding one (late work under a span of an exported trace)
   * finds a shared stand-in that says what this buffer would: the trace is finished. True when
   * every span was ended and holds nothing of the program's but recorded texts.
   */
  private detachEndedSpans(): boolean {
    const finished = (LiveSpan.finishedBuffer ??= TraceBuffer.finishedStandIn());
    const spans = this.spans;
    let bare = true;
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i];
      if (span instanceof LiveSpan && span.isEnded && span.buffer === this) bare = span.detachFromTrace(finished) && bare;
      else bare = false;
    }
    return bare;
  }

  private static finishedStandIn(): TraceBuffer {
    const buffer = new TraceBuffer('', '');
    buffer.leaveInProgress();
    return buffer;
  }

  /**
   * Takes the buffer out of `inProgress`; false if it was out already. Ordered so that a failure
   * (the only call can overflow the stack) leaves both unchanged.
   */
  private leaveInProgress(): boolean {
    const slot = this.slot;
    if (slot === -1) return false;
    const last = inProgress.pop()!;
    if (last !== this) {
      inProgress[slot] = last;
      last.slot = slot;
    }
    this.slot = -1;
    return true;
  }

  /**
   * Undoes {@link onSpanStart} for a span whose start failed (no stack left): it is not recorded
   * (counted as dropped), and a trace it would have begun is dropped whole.
   */
  withdrawSpan(span: LiveSpan): void {
    const i = this.spans.lastIndexOf(span);
    if (i === -1) return;
    this.spans.splice(i, 1);
    this.open--;
    if (this.spans.length > 0) this.countDropped();
    else if (this.leaveInProgress() && inProgress.length === 0) releaseAsyncHooksIfIdle(0);
  }

  /**
   * @internal TraceInfo V3 as MLflow builds it, from the finished trace (or, for
   * InMemoryTraceManager, from one still in progress). Nothing it reads changes once the trace
   * is finished: its spans are ended (their setters are no-ops) and trace-level updates to a
   * finished trace are refused (see updateCurrentTrace).
   */
  buildInfo(): TraceInfo {
    return buildTraceInfo(this.traceId, this.experimentId, this.root!, this.spans, this.extras, this.truncated);
  }
}

/** TraceInfo from a trace's parts: `added`, what the program set on it (if anything); `truncated`, values its budget replaced. */
function buildTraceInfo(traceId: string, experimentId: string, root: Span, spans: readonly Span[], added: TraceExtras | undefined, truncated: number): TraceInfo {
  const start = root.startTimeUnixNano;
  const end = root.endTimeUnixNano ?? start;
  const inputs = root.encodedAttributes[SpanAttributeKey.INPUTS] ?? '';
  const outputs = root.encodedAttributes[SpanAttributeKey.OUTPUTS] ?? '';
  const metadata: Record<string, string> = {
    [TraceMetadataKey.SCHEMA_VERSION]: TRACE_SCHEMA_VERSION,
    ...environmentMetadata(),
  };
  for (const [k, v] of Object.entries(added?.metadata ?? {})) {
    metadata[truncate(k, Limits.METADATA_MAX_LENGTH)] = truncate(v, Limits.METADATA_MAX_LENGTH);
  }
  metadata[TraceMetadataKey.INPUTS] = truncate(inputs, Limits.METADATA_MAX_LENGTH);
  metadata[TraceMetadataKey.OUTPUTS] = truncate(outputs, Limits.METADATA_MAX_LENGTH);
  const usage = aggregateTokenUsage(spans);
  if (usage) metadata[TraceMetadataKey.TOKEN_USAGE] = JSON.stringify(usage);
  const dropped = added?.droppedSpans ?? 0;
  if (dropped > 0) metadata[TracewrightKey.DROPPED_SPANS] = String(dropped);
  if (truncated > 0) metadata[TracewrightKey.TRUNCATED_VALUES] = String(truncated);

  const tags: Record<string, string> = { [TraceTagKey.TRACE_NAME]: root.name };
  for (const [k, v] of Object.entries(added?.tags ?? {})) {
    tags[truncate(k, Limits.TAG_KEY_MAX_LENGTH)] = truncate(v, Limits.TAG_VALUE_MAX_LENGTH);
  }

  const info: TraceInfo = {
    traceId,
    traceLocation: { type: 'MLFLOW_EXPERIMENT', mlflowExperiment: { experimentId } },
    requestTime: nsToMs(start),
    executionDuration: nsToMs(end) - nsToMs(start),
    state: added?.stateOverride ?? (root.status.statusCode === SpanStatusCode.ERROR ? TraceState.ERROR : TraceState.OK),
    requestPreview: added?.requestPreview ?? truncate(inputs, Limits.PREVIEW_MAX_LENGTH),
    responsePreview: added?.responsePreview ?? truncate(outputs, Limits.PREVIEW_MAX_LENGTH),
    traceMetadata: metadata,
    tags,
    assessments: [],
  };
  if (added?.clientRequestId !== undefined) info.clientRequestId = added.clientRequestId;
  return info;
}

/**
 * A finished trace as the destination receives it. Its `info` (previews, token-usage sum,
 * metadata copies) is built when first read — by the destination's writer, usually off the
 * call path — rather than when the root span ends; it is made only of values fixed when the
 * trace finished, so what is recorded does not change. `info` is an own enumerable accessor
 * (spread, JSON.stringify, structuredClone and deep equality see it): once read or assigned it
 * returns that same object. It stays an accessor: turning it into a data property once read
 * cost a map change per trace (1.3 µs of a 20 µs root call written to the local store).
 */
class FinishedTrace implements Trace {
  // Declared, not class fields: the keys stay in the order { info, data } a literal had.
  declare info: TraceInfo;
  declare data: { spans: Span[] };
  /** The spans as the trace finished (`data` is the destination's to change). */
  #spans: Span[];
  /**
   * What the summary is built from besides the spans: the buffer when the trace carries more
   * than its spans, else only its experiment id (the buffer is then let go); undefined once built.
   */
  #from: TraceBuffer | string | undefined;
  /** The summary once built or assigned. */
  #info: TraceInfo | undefined;

  static readonly #lazyInfo: PropertyDescriptor = {
    enumerable: true,
    configurable: true,
    get(this: FinishedTrace): TraceInfo {
      const from = this.#from;
      if (from === undefined) return this.#info!;
      const spans = this.#spans;
      let info: TraceInfo;
      try {
        info = typeof from === 'string' ? buildTraceInfo(spans[0]!.traceId, from, spans[0]!, spans, undefined, 0) : from.buildInfo();
      } catch (error) {
        // Never thrown into the destination's writer: the trace is still written, summary-less.
        reportInternalError('build trace', error);
        info = typeof from === 'string' ? minimalInfo(spans[0]!.traceId, from, spans[0], undefined) : minimalInfo(from.traceId, from.experimentId, from.root, from.stateOverride);
      }
      this.#from = undefined;
      this.#info = info;
      return info;
    },
    set(this: FinishedTrace, info: TraceInfo): void {
      this.#from = undefined;
      this.#info = info;
    },
  };

  constructor(buffer: TraceBuffer, plain: boolean) {
    Object.defineProperty(this, 'info', FinishedTrace.#lazyInfo);
    this.data = { spans: buffer.spans };
    this.#spans = buffer.spans;
    this.#from = plain ? buffer.experimentId : buffer;
    this.#info = undefined;
  }
}

function minimalInfo(traceId: string, experimentId: string, root: Span | undefined, stateOverride: 'OK' | 'ERROR' | undefined): TraceInfo {
  const start = root?.startTimeUnixNano ?? 0n;
  return {
    traceId,
    traceLocation: { type: 'MLFLOW_EXPERIMENT', mlflowExperiment: { experimentId } },
    requestTime: nsToMs(start),
    executionDuration: nsToMs(root?.endTimeUnixNano ?? start) - nsToMs(start),
    state: stateOverride ?? (root?.status.statusCode === SpanStatusCode.ERROR ? TraceState.ERROR : TraceState.OK),
    requestPreview: '',
    responsePreview: '',
    traceMetadata: { [TraceMetadataKey.SCHEMA_VERSION]: TRACE_SCHEMA_VERSION },
    tags: root ? { [TraceTagKey.TRACE_NAME]: root.name } : {},
    assessments: [],
  };
}

/**
 * Sums `mlflow.chat.tokenUsage` over the span tree, counting a span only if no ancestor
 * already reported usage (an LLM wrapper and the client span it wraps must not count twice).
 */
export function aggregateTokenUsage(spans: readonly Span[]): TokenUsage | undefined {
  if (!spans.some((s) => s.encodedAttributes[SpanAttributeKey.TOKEN_USAGE] !== undefined)) return undefined;
  const byId = new Map<string, Span>();
  for (const s of spans) byId.set(s.spanId, s);
  const hasUsage = (s: Span) => s.encodedAttributes[SpanAttributeKey.TOKEN_USAGE] !== undefined;
  let total: TokenUsage | undefined;
  for (const span of spans) {
    if (!hasUsage(span)) continue;
    let ancestorHasUsage = false;
    for (let p = span.parentId ? byId.get(span.parentId) : undefined; p; p = p.parentId ? byId.get(p.parentId) : undefined) {
      if (hasUsage(p)) {
        ancestorHasUsage = true;
        break;
      }
    }
    if (ancestorHasUsage) continue;
    const u = span.tokenUsage;
    if (!u || typeof u !== 'object') continue;
    total ??= { input_tokens: 0, output_tokens: 0, total_tokens: 0 };
    total.input_tokens += Number(u.input_tokens) || 0;
    total.output_tokens += Number(u.output_tokens) || 0;
    total.total_tokens += Number(u.total_tokens) || (Number(u.input_tokens) || 0) + (Number(u.output_tokens) || 0);
    if (u.cache_read_input_tokens !== undefined) total.cache_read_input_tokens = (total.cache_read_input_tokens ?? 0) + Number(u.cache_read_input_tokens);
    if (u.cache_creation_input_tokens !== undefined) {
      total.cache_creation_input_tokens = (total.cache_creation_input_tokens ?? 0) + Number(u.cache_creation_input_tokens);
    }
  }
  return total;
}

/**
 * Exports finished spans as a trace of their own; `root` must be one of `spans`. Used for
 * spans that arrive after the trace they belonged to was exported.
 */
export function exportFinishedSpans(
  traceId: string,
  experimentId: string,
  root: Span,
  spans: readonly Span[],
  metadata: Record<string, string> = {},
): void {
  const buffer = new TraceBuffer(traceId, experimentId);
  Object.assign(buffer.metadata, metadata);
  buffer.root = root;
  buffer.adoptFinishedSpans(spans);
  buffer.hold()();
}

function deliver(trace: Trace): void {
  const state = runtimeState();
  try {
    if (!state.destination) {
      if (!state.destinationFactory) return;
      state.destination = state.destinationFactory();
    }
    state.destination.export(trace);
  } catch (error) {
    // Out of stack: thrown to finish(), which hands the trace over at the next chance.
    if (error instanceof RangeError) throw error;
    reportInternalError(`export to ${state.destination?.description ?? 'default destination'}`, error);
  }
}
