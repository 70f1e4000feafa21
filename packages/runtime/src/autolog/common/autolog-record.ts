/**
 * What each integration's autolog() did, kept on `globalThis` (shared by the ESM and CJS builds)
 * so the doctor can tell "never called", "called but not awaited yet" (the ES module copy is
 * patched only when the promise settles: calls before that are not traced) and "patched a
 * different copy of the SDK than the one the application loads".
 */
import { processWide } from '../../core/process-wide.js';

const RECORD_KEY = Symbol.for('tracewright.autolog.record');

export interface AutologRecord {
  /** autolog() calls that enabled instrumentation (disable calls are not counted). */
  calls: number;
  /** Calls whose promise has not settled yet: the ES module copy is not patched until then. */
  pending: number;
  /** true after autolog({ disable: true }). */
  disabled: boolean;
  /** SDK copies patched by the last settled call. */
  copies: number;
  /** The SDK file autolog resolved (from the runtime's location), if any. */
  resolved: string | undefined;
}

function records(): Map<string, AutologRecord> {
  return processWide(RECORD_KEY, () => new Map<string, AutologRecord>());
}

export function autologRecord(integration: string): AutologRecord {
  const map = records();
  let record = map.get(integration);
  if (!record) map.set(integration, (record = { calls: 0, pending: 0, disabled: false, copies: 0, resolved: undefined }));
  return record;
}

/** The record of `integration`, or undefined when its autolog() was never called in this process. */
export function findAutologRecord(integration: string): Readonly<AutologRecord> | undefined {
  const record = records().get(integration);
  return record ? { ...record } : undefined;
}
