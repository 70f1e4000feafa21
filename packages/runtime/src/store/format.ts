/**
 * Store format version. Every file this version creates starts with a header frame
 * `{"format":"tracewright-store","version":2,"kind":"index"|"segment"|"tombstones"}`; files
 * written before headers existed have none and are read as version 1 (same records).
 * Version 2 sets span attribute values apart in trace bodies (trace-body.ts); version 1 bodies
 * are still read.
 *
 * Compatibility rule (README "Format versions"): a reader reads every version up to its own
 * and skips — with a clear message naming both versions — files of a newer one. Writers only
 * ever create files of the current version and never rewrite a file in place, so an upgrade is
 * one-way: new files carry the new version, old files stay readable until retention removes them.
 */
export const STORE_FORMAT = 'tracewright-store';
export const STORE_FORMAT_VERSION = 2;

export type StoreFileKind = 'index' | 'segment' | 'tombstones' | 'assessments';

export interface FormatHeader {
  format: typeof STORE_FORMAT;
  version: number;
  kind: StoreFileKind;
}

export function headerText(kind: StoreFileKind): string {
  const header: FormatHeader = { format: STORE_FORMAT, version: STORE_FORMAT_VERSION, kind };
  return JSON.stringify(header);
}

/** The header if `value` is one (whatever its version), else undefined. */
export function asFormatHeader(value: unknown): FormatHeader | undefined {
  if (typeof value !== 'object' || value === null || (value as { format?: unknown }).format !== STORE_FORMAT) return undefined;
  const { version, kind } = value as { version?: unknown; kind?: unknown };
  return { format: STORE_FORMAT, version: typeof version === 'number' ? version : Number.NaN, kind: kind as StoreFileKind };
}

/** Why a file with this header cannot be read by this version, or undefined if it can. */
export function unsupportedVersionMessage(header: FormatHeader): string | undefined {
  if (Number.isInteger(header.version) && header.version >= 1 && header.version <= STORE_FORMAT_VERSION) return undefined;
  if (Number.isInteger(header.version) && header.version > STORE_FORMAT_VERSION) {
    return (
      `written in store format version ${header.version} by a newer tracewright; this reader understands versions ` +
      `up to ${STORE_FORMAT_VERSION}. Upgrade @tracewright/runtime (or the tracewright CLI) to read these traces; the file is skipped, not damaged`
    );
  }
  return `unknown store format version ${JSON.stringify(header.version)}; the file is skipped`;
}
