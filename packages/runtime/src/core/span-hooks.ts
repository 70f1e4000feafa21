/**
 * MLflow's span lifecycle hooks. A start hook sees the span once it is set up (type, inputs,
 * attributes); an end hook sees it ended (changes it makes are ignored, as in MLflow). A hook
 * that throws is reported once through the diagnostics and counted; the program and the
 * other hooks carry on.
 */
import { reportInternalError } from './diagnostics.js';
import type { LiveSpan } from './live-span.js';
import { runtimeState } from './state.js';

export type SpanHook = (span: LiveSpan) => void;

function register(list: SpanHook[], hook: SpanHook, where: string): void {
  if (typeof hook !== 'function') throw new TypeError(`${where}(hook): hook must be a function, got ${hook === null ? 'null' : typeof hook}`);
  list.push(hook);
}

/** Calls `hook(span)` for every span that starts from now on (no unregister, as in MLflow). */
export function registerOnSpanStartHook(hook: SpanHook): void {
  register(runtimeState().spanStartHooks, hook, 'registerOnSpanStartHook');
}

/** Calls `hook(span)` for every span that ends from now on (no unregister, as in MLflow). */
export function registerOnSpanEndHook(hook: SpanHook): void {
  register(runtimeState().spanEndHooks, hook, 'registerOnSpanEndHook');
}

/** @internal Runs `hooks` on `span`; a throwing hook is reported under `site`, never rethrown. */
export function runSpanHooks(hooks: readonly SpanHook[], span: LiveSpan, site: string): void {
  for (const hook of hooks) {
    try {
      hook(span);
    } catch (error) {
      reportInternalError(site, error);
    }
  }
}
