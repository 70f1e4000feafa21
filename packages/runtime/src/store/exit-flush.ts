/**
 * Flushes buffered traces when the process ends normally: `beforeExit` (the event loop ran dry,
 * async writes still possible) and `exit` (explicit process.exit(): synchronous writes only).
 * One pair of listeners for all destinations, so many stores never trip MaxListeners.
 */
import { reportInternalError } from '../core/diagnostics.js';
import { onProcessEnd } from '../core/process-end.js';

export interface ExitFlushable {
  readonly description: string;
  hasPending(): boolean;
  flush(): Promise<void>;
  flushSync(): void;
}

const registered = new Set<ExitFlushable>();
let installed = false;

function onBeforeExit(): void {
  // Each flush schedules I/O, so the loop runs again and `beforeExit` fires again afterwards;
  // only destinations with work left are flushed, so this settles.
  for (const d of registered) if (d.hasPending()) void d.flush();
}

function onExit(): void {
  for (const d of registered) {
    try {
      d.flushSync();
    } catch (error) {
      reportInternalError(`flush on exit ${d.description}`, error);
    }
  }
}

export function flushOnExit(d: ExitFlushable): () => void {
  if (!installed) {
    installed = true;
    // Through process-end, after the traces still in progress were ended and handed over
    // (a store created during that step is flushed too); a terminating signal skips `exit`,
    // so it is written synchronously then, before the signal is re-raised.
    onProcessEnd('flush', (ending) => (ending.kind === 'beforeExit' ? onBeforeExit() : onExit()));
  }
  registered.add(d);
  return () => registered.delete(d);
}
