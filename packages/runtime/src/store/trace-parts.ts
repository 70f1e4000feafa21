/**
 * One trace id written more than once: the parts of a distributed trace (each process that
 * continued it writes the spans it recorded, see core/remote-parent.ts), in any order and
 * from any writer. Readers merge them: the spans of all parts (a span id seen twice: the
 * later copy wins), and the TraceInfo of the root part — the one whose root has no remote
 * parent — with metadata and tags the other parts set added where the root part has none.
 */
import { isContinuedPart, REMOTE_PARENT_METADATA_KEY } from '../core/remote-parent.js';
import type { Span } from '../model/span.js';
import type { TraceInfo } from '../model/trace.js';

const isRootPart = (info: TraceInfo): boolean => !isContinuedPart(info);

/** Index of the part whose info wins: the last root part written, else the first part. */
export function primaryPartIndex(infos: readonly TraceInfo[]): number {
  for (let i = infos.length - 1; i >= 0; i--) if (isRootPart(infos[i]!)) return i;
  return 0;
}

/** The merged info of parts (in the order written). */
export function mergePartInfos(infos: readonly TraceInfo[]): TraceInfo {
  const p = primaryPartIndex(infos);
  const primary = infos[p]!;
  const metadata: Record<string, string> = {};
  const tags: Record<string, string> = {};
  infos.forEach((info, i) => {
    if (i === p) return;
    Object.assign(metadata, info.traceMetadata);
    Object.assign(tags, info.tags);
  });
  Object.assign(metadata, primary.traceMetadata);
  Object.assign(tags, primary.tags);
  const merged: Record<string, string> = {};
  // The marker says "this part is not the root part": the merged trace has a root part or is itself partial.
  for (const k of Object.keys(metadata)) if (k !== REMOTE_PARENT_METADATA_KEY || !isRootPart(primary)) merged[k] = metadata[k]!;
  return { ...primary, traceMetadata: merged, tags };
}

export function mergePartSpans(spanLists: readonly (readonly Span[])[]): Span[] {
  const byId = new Map<string, Span>();
  for (const spans of spanLists) for (const span of spans) byId.set(span.spanId, span);
  return [...byId.values()].sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0));
}
