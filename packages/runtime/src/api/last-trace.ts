import { runtimeState } from '../core/state.js';

/** The id of the most recently finished (root-ended) trace in this process. */
export function getLastActiveTraceId(): string | undefined {
  return runtimeState().lastActiveTraceId;
}
