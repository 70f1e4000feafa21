/**
 * Every copy of this package loaded into the process signs a list on `globalThis`, so a second
 * copy (another version in node_modules, or one inlined into a bundle) can be reported by the
 * doctor: copies share one runtime state, but two versions may not agree on its shape.
 */
import { ownFile } from './own-location.js';
import { processWide } from './process-wide.js';

const COPIES_KEY = Symbol.for('tracewright.runtime.copies');

export interface LoadedCopy {
  /** A file of the copy (its package directory, or the bundle that inlined it). */
  file: string | undefined;
  /** The runtime state layout this copy uses (see core/state.ts). */
  stateVersion: number;
}

function copies(): LoadedCopy[] {
  return processWide(COPIES_KEY, (): LoadedCopy[] => []);
}

/** Called once per copy, when it loads. */
export function registerLoadedCopy(stateVersion: number): void {
  try {
    copies().push({ file: ownFile(), stateVersion });
  } catch {
    // A frozen globalThis: the doctor then simply sees fewer copies.
  }
}

export function loadedCopies(): readonly LoadedCopy[] {
  return [...copies()];
}
