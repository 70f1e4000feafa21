import { TraceMetadataKey } from '../model/constants.js';
import { entryScriptName, hostUser } from '../platform/host.js';

let cached: Record<string, string> | undefined;

/** Environment metadata MLflow records on every trace (spec §2.6), computed once per process. */
export function environmentMetadata(): Record<string, string> {
  if (cached) return cached;
  const meta: Record<string, string> = { [TraceMetadataKey.SOURCE_TYPE]: 'LOCAL' };
  // No passwd entry (some containers), or no OS user at all (edge): MLflow also leaves it out.
  const user = hostUser();
  if (user !== undefined) meta[TraceMetadataKey.USER] = user;
  const entry = entryScriptName();
  if (entry) meta[TraceMetadataKey.SOURCE_NAME] = entry;
  cached = meta;
  return meta;
}
