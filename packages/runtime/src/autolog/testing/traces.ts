/** Helpers for autolog tests: finding spans and decoding what they recorded. */
import type { Span } from '../../model/span.js';
import type { Trace } from '../../model/trace.js';
import { SpanAttributeKey } from '../../model/constants.js';

export function spansOfType(trace: Trace, type: string): Span[] {
  return trace.data.spans.filter((s) => s.spanType === type);
}

export function onlySpan(trace: Trace, name: string): Span {
  const found = trace.data.spans.filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`expected one span named ${name}, found ${found.length}: ${trace.data.spans.map((s) => s.name).join(', ')}`);
  return found[0]!;
}

export function attr(span: Span, key: string): unknown {
  return span.getAttribute(key);
}

export function traceTokenUsage(trace: Trace): unknown {
  const raw = trace.info.traceMetadata['mlflow.trace.tokenUsage'];
  return raw === undefined ? undefined : JSON.parse(raw);
}

export const K = SpanAttributeKey;

/** Resolves when `predicate()` holds, polling the event loop (no wall-clock assertions). */
export async function until(predicate: () => boolean, what: string, maxTurns = 2000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`timed out waiting for ${what}`);
}
