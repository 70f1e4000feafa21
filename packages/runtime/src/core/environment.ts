import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { TraceMetadataKey } from '../model/constants.js';

let cached: Record<string, string> | undefined;

/** Environment metadata MLflow records on every trace (spec §2.6), computed once per process. */
export function environmentMetadata(): Record<string, string> {
  if (cached) return cached;
  const meta: Record<string, string> = { [TraceMetadataKey.SOURCE_TYPE]: 'LOCAL' };
  try {
    meta[TraceMetadataKey.USER] = userInfo().username;
  } catch {
    // No passwd entry (some containers): MLflow also leaves it out.
  }
  const entry = process.argv[1];
  if (entry) meta[TraceMetadataKey.SOURCE_NAME] = basename(entry);
  cached = meta;
  return meta;
}
