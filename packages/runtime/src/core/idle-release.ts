/**
 * A process that turned tracing off should pay nothing for it, also in async code. Once any span
 * has run, Node keeps AsyncLocalStorage's promise hooks on for every promise of the
 * program; with tracing disabled and no trace left in progress nothing needs them, so they are
 * taken out. The next traced call puts them back (`run`/`enterWith` re-enable the storage).
 *
 * What that costs, documented in the README: a `tracingContext(...)` scope (a frame without a
 * span) is forgotten by the async code already running inside it when the hooks go, if tracing
 * is turned on again before that code finishes.
 */
import { runtimeState } from './state.js';

export function releaseAsyncHooksIfIdle(tracesInProgress: number): void {
  const state = runtimeState();
  if (state.enabled || tracesInProgress > 0) return;
  state.als.disable();
}
