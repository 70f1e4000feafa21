/**
 * Makes a LangChain chat model's (or LLM's) span the active tracewright span while the model
 * runs, so an SDK call it makes (an autologged OpenAI request) nests inside it — and, since
 * trace usage skips spans under one that has usage, its tokens count once.
 *
 * LangChain reports the model run through a callback, from inside the model's
 * `_generateUncached`, but never runs the model's own code in a context we could enter. So
 * `_generateUncached` runs in a fresh frame (a copy of the caller's), and the callback handler
 * points that frame at the model span it just began ("adopts" it) and back when the run ends.
 * Only that call's async descendants see the frame. Not covered: streaming through
 * `.stream()` (the generator's steps run in the consumer's context) and results served from
 * LangChain's cache (their runs start elsewhere).
 */
import { currentFrame } from '../../core/context.js';
import { NO_OP_SPAN, type LiveSpan } from '../../core/live-span.js';
import { runtimeState, type ContextFrame } from '../../core/state.js';

const adoptable = new WeakSet<ContextFrame>();

/** Runs a model's `_generateUncached` in a frame its run's span can adopt. */
export function runModelCall(original: Function, self: unknown, args: unknown[]): unknown {
  const state = runtimeState();
  if (!state.enabled) return original.apply(self, args);
  const caller = currentFrame();
  const frame: ContextFrame = { span: caller?.span, dropped: caller?.dropped ?? false, scope: caller?.scope, caller };
  adoptable.add(frame);
  return state.als.run(frame, () => original.apply(self, args));
}

export interface Adoption {
  frame: ContextFrame;
  previous: LiveSpan | undefined;
  previousDropped: boolean;
}

/** Makes `span` current in the model call's frame, when the run starts inside one not yet adopted. */
export function adopt(span: LiveSpan): Adoption | undefined {
  const frame = currentFrame();
  if (!frame || !adoptable.has(frame) || frame.span !== frame.caller?.span) return undefined; // batch: the first run adopts
  const adoption = { frame, previous: frame.span, previousDropped: frame.dropped };
  frame.span = span;
  frame.dropped = span === NO_OP_SPAN;
  return adoption;
}

/** Gives the frame back to the caller's span when the model run ends. */
export function release(adoption: Adoption | undefined, span: LiveSpan): void {
  if (!adoption || adoption.frame.span !== span) return;
  adoption.frame.span = adoption.previous;
  adoption.frame.dropped = adoption.previousDropped;
}
