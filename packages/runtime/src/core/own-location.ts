/**
 * Where this package's code was loaded from, read from the call stack: the same answer in the
 * ESM build, the CJS build, the TypeScript sources and a bundle (where it is the bundle file).
 */
import { stackFileToPath } from '../platform/host.js';

export function ownFile(): string | undefined {
  const original = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_error, frames) => frames;
    const frames = new Error().stack as unknown as NodeJS.CallSite[];
    const name = frames[0]?.getFileName();
    if (!name) return undefined;
    return stackFileToPath(name);
  } catch {
    return undefined;
  } finally {
    Error.prepareStackTrace = original;
  }
}
