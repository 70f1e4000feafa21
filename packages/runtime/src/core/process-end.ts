/**
 * The end of the process, observed once for the whole tracer, in two phases: first the traces
 * still in progress are ended and handed to their destination ("traces"), then destinations
 * write what they hold ("flush"). A failed run is the one users most want to see, so this
 * covers every way a Node process ends that leaves code a chance to run: the event loop running
 * dry (`beforeExit`), `process.exit()` and uncaught errors (`exit`), and SIGTERM / SIGINT
 * (what `docker stop`, Kubernetes and Ctrl-C send).
 *
 * Signals without a handler of the program's own terminate the process; ours must not change
 * that. Our listener only acts when it is the sole one: it writes what exists, removes itself
 * and raises the signal again, so the process ends by the same signal it would have untraced.
 * When the program has its own handler, that handler decides; if it exits, `exit` records.
 */
import { isMainThread } from '../platform/host.js';
import { reportInternalError } from './diagnostics.js';
import { processWide } from './process-wide.js';

export interface ProcessEnding {
  readonly kind: 'beforeExit' | 'exit' | 'signal';
  /** Exit code 0 (an uncaught error exits non-zero): the run succeeded. */
  readonly ok: boolean;
}

export type ProcessEndListener = (ending: ProcessEnding) => void;
export type ProcessEndPhase = 'traces' | 'flush';

interface ProcessEndRegistry {
  readonly traces: Set<ProcessEndListener>;
  readonly flush: Set<ProcessEndListener>;
}

/**
 * One registry and one set of process listeners per process, whatever the number of runtime
 * copies loaded (the ESM and the CommonJS build side by side, a test runner re-evaluating
 * modules): kept on `globalThis`, as the runtime state is. With a signal listener per copy, none
 * would be the sole listener, so none would raise the signal again and SIGTERM would no longer
 * end the process.
 */
const REGISTRY_KEY = Symbol.for('tracewright.process-end.v1');
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

function registry(): ProcessEndRegistry {
  return processWide(REGISTRY_KEY, () => {
    const made: ProcessEndRegistry = { traces: new Set(), flush: new Set() };
    install(made);
    return made;
  });
}

function run(listeners: ProcessEndRegistry, ending: ProcessEnding): void {
  for (const phase of ['traces', 'flush'] as const) {
    for (const listener of listeners[phase]) {
      try {
        listener(ending);
      } catch (error) {
        reportInternalError(`process end (${phase})`, error);
      }
    }
  }
}

// An uncaught error exits non-zero too, so the code alone tells a failed run.
function exitOk(code: unknown): boolean {
  return code === undefined || code === 0 || code === null;
}

function install(listeners: ProcessEndRegistry): void {
  if (typeof process === 'undefined' || typeof process.prependListener !== 'function') return;
  // Prepended: traces must be ended before any destination's own exit flush runs.
  process.prependListener('beforeExit', (code) => run(listeners, { kind: 'beforeExit', ok: exitOk(code) }));
  process.prependListener('exit', (code) => run(listeners, { kind: 'exit', ok: exitOk(code) }));
  if (!isMainThread) return;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (process.listenerCount(signal) > 1) return;
    run(listeners, { kind: 'signal', ok: false });
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

/** Runs `listener` when the process ends (see the module comment); returns an unsubscribe. */
export function onProcessEnd(phase: ProcessEndPhase, listener: ProcessEndListener): () => void {
  const listeners = registry()[phase];
  listeners.add(listener);
  return () => listeners.delete(listener);
}
