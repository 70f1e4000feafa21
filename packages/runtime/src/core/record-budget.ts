/**
 * What one trace may record: a budget of characters for inputs, outputs and attributes, and a
 * memory of the large objects already recorded. Keeps a traced program's memory and time bounded
 * however much it passes around (the untraced program never copies its arguments at all).
 *
 * A large object is recorded in full the first RECORD_IN_FULL times a trace meets it (documents a
 * retriever returned and an LLM call then takes appear in both spans); from then on it is a
 * reference to where it was first recorded. Only a program passing the same big object over and
 * over (a recursive walk passing its root, or subtrees its callers already recorded, or
 * returning what its callees returned) meets it more often. The marker is short, since it may
 * stand in on thousands of spans: how often an object is recorded in full is documented, not
 * repeated in every marker.
 */
import { jsonStringify, WeakMapCtor } from './intrinsics.js';
import { serialize, type RecordedObjects } from './serialize.js';
import type { RuntimeState } from './state.js';

/** Objects whose JSON is at least this long are remembered. */
const REMEMBER_MIN_CHARS = 2_000;
/** How many times a large object is recorded in full within one trace before it is referred to. */
const RECORD_IN_FULL = 2;

/**
 * Where the value being encoded goes, for the reference marker: kept as its parts and joined
 * only when a marker is made (rarely). Module state, not fields of every trace's budget: an
 * encode runs start to end synchronously and records no spans, so encodes never interleave.
 */
let whereSpan = '';
let whereField = '';

interface Remembered {
  times: number;
  readonly marker: string;
}

// Past its budget a trace writes this marker for every value: made once per budget size.
let usedUp = { budget: -1, marker: '' };
function usedUpMarker(budget: number): string {
  if (usedUp.budget !== budget) usedUp = { budget, marker: jsonStringify(`[not recorded: the trace's recording budget of ${budget} chars is used up]`) };
  return usedUp.marker;
}

export class RecordBudget implements RecordedObjects {
  used = 0;
  /** Values replaced by a marker because the budget was used up. */
  truncated = 0;
  private objects: WeakMap<object, Remembered> | undefined;

  // A getter, not a field: one slot less in every trace's buffer.
  get minChars(): number {
    return REMEMBER_MIN_CHARS;
  }

  get(obj: object): string | undefined {
    const seen = this.objects?.get(obj);
    return seen !== undefined && seen.times >= RECORD_IN_FULL ? seen.marker : undefined;
  }

  remember(obj: object): void {
    const objects = (this.objects ??= new WeakMapCtor());
    const seen = objects.get(obj);
    if (seen) seen.times++;
    else objects.set(obj, { times: 1, marker: jsonStringify(`[same object as in span "${whereSpan}" ${whereField}]`) });
  }

  /** Serializes `value` for the span `spanName`'s `field`, within what is left of the budget. */
  encode(value: unknown, state: RuntimeState, spanName: string, field: string): string {
    const remaining = state.maxTraceRecordedChars - this.used;
    if (remaining <= 0) {
      this.truncated++;
      return usedUpMarker(state.maxTraceRecordedChars);
    }
    whereSpan = spanName;
    whereField = field;
    const text = serialize(value, { maxChars: remaining < state.maxValueChars ? remaining : state.maxValueChars, recorded: this });
    this.used += text.length;
    return text;
  }
}
