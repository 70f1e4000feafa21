/**
 * A span of another process that spans here continue (distributed tracing). It is the active
 * span while a continued context runs but records nothing itself; spans begun under it get
 * its trace id and its span id as their parent id. They are collected in a trace buffer of
 * their own, created when the first of them begins (a context that begins no span leaves
 * nothing behind) and again when an earlier one was already exported: the parts of one trace
 * id are merged where they are stored (local store, MLflow server), with the caller's root
 * deciding the TraceInfo.
 */
import { TRACE_ID_PREFIX } from '../model/constants.js';
import { LiveSpan, NoOpSpan } from './live-span.js';
import { runtimeState, type TraceScope } from './state.js';
import { TraceBuffer } from './trace-buffer.js';
import type { RemoteSpanContext } from './trace-context.js';

/**
 * Trace metadata of a trace part whose root's parent lives in another process: the store
 * uses it to tell the parts of a distributed trace from its root part.
 */
export const REMOTE_PARENT_METADATA_KEY = 'tracewright.continuedFromSpanId';

/** True for a trace part recorded under a remote parent (not the root part of its trace). */
export function isContinuedPart(info: { readonly traceMetadata: Readonly<Record<string, string>> }): boolean {
  return REMOTE_PARENT_METADATA_KEY in info.traceMetadata;
}

/** The tracestate each continued trace carries on (kept off the buffer: only this module needs it). */
const traceStates = new WeakMap<TraceBuffer, string>();

export class RemoteParentSpan extends NoOpSpan {
  private anchor: LiveSpan | undefined;

  constructor(readonly remote: RemoteSpanContext) {
    super(TRACE_ID_PREFIX + remote.traceIdHex, remote.spanId, 'remote parent');
  }

  /** The span new spans nest under: stands for the remote span inside a live trace buffer. */
  parentForNewSpan(scope: TraceScope | undefined): LiveSpan {
    if (this.anchor?.buffer && !this.anchor.buffer.isFinished) return this.anchor;
    const buffer = new TraceBuffer(this.traceId, runtimeState().experimentId);
    if (scope?.metadata) Object.assign(buffer.metadata, scope.metadata);
    if (scope?.tags) Object.assign(buffer.tags, scope.tags);
    buffer.metadata[REMOTE_PARENT_METADATA_KEY] = this.spanId;
    if (this.remote.traceState !== undefined) traceStates.set(buffer, this.remote.traceState);
    this.anchor = new LiveSpan(buffer, this.traceId, this.spanId, null, this.name, 0n);
    return this.anchor;
  }
}

export function traceStateOf(buffer: TraceBuffer): string | undefined {
  return traceStates.get(buffer);
}
