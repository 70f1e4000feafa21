/**
 * What one trace may record: a budget of characters for inputs, outputs and attributes, and a
 * memory of the large objects already recorded. Keeps a traced program's memory and time bounded
 * however much it passes around (the untraced program never copies its arguments at all).
 *
 * An ordinary trace is recorded in full. Once a trace has recorded DEDUPE_AFTER_CHARS, it is
 * recording the same data over and over (a recursive walk passing the root, or subtrees its
 * callers already recorded, or returning what its callees returned): from then on a large object
 * recorded before becomes a reference to where it was recorded.
 */
import { jsonStringify, WeakMapCtor } from './intrinsics.js';
import { serialize, type RecordedObjects } from './serialize.js';
import type { RuntimeState } from './state.js';

/** Objects whose JSON is at least this long are remembered. */
const REMEMBER_MIN_CHARS = 2_000;
/** Past this many recorded characters, remembered objects are referred to, not recorded again. */
const DEDUPE_AFTER_CHARS = 1_000_000;

export class RecordBudget implements RecordedObjects {
  used = 0;
  /** Values replaced by a marker because the budget was used up. */
  truncated = 0;
  readonly minChars = REMEMBER_MIN_CHARS;
  private objects: WeakMap<object, string> | undefined;
  /** Where the value being encoded goes, for the reference marker. */
  private where = '';

  get(obj: object): string | undefined {
    return this.used < DEDUPE_AFTER_CHARS ? undefined : this.objects?.get(obj);
  }

  remember(obj: object): void {
    (this.objects ??= new WeakMapCtor()).set(obj, jsonStringify(`[same object as recorded in ${this.where}; large traces record an object once]`));
  }

  /** Serializes `value` for the span `spanName`'s `field`, within what is left of the budget. */
  encode(value: unknown, state: RuntimeState, spanName: string, field: string): string {
    const remaining = state.maxTraceRecordedChars - this.used;
    if (remaining <= 0) {
      this.truncated++;
      return jsonStringify(`[not recorded: the trace's recording budget of ${state.maxTraceRecordedChars} chars is used up]`);
    }
    this.where = `span "${spanName}" ${field}`;
    const text = serialize(value, { maxChars: remaining < state.maxValueChars ? remaining : state.maxValueChars, recorded: this });
    this.used += text.length;
    return text;
  }
}
