/**
 * What one trace may record: a budget of characters for inputs, outputs and attributes, and a
 * memory of the large objects already recorded, so that passing the same big object down a
 * recursion records it once. Keeps a traced program's memory and time bounded however much it
 * passes around (the untraced program never copies its arguments at all).
 */
import { jsonStringify, WeakMapCtor } from './intrinsics.js';
import { serialize, type RecordedObjects } from './serialize.js';
import type { RuntimeState } from './state.js';

/** Objects whose JSON is at least this long are recorded once per trace, then referred to. */
const REMEMBER_MIN_CHARS = 2_000;

export class RecordBudget implements RecordedObjects {
  used = 0;
  /** Values replaced by a marker because the budget was used up. */
  truncated = 0;
  readonly minChars = REMEMBER_MIN_CHARS;
  private objects: WeakMap<object, string> | undefined;
  /** Where the value being encoded goes, for the reference marker. */
  private where = '';

  get(obj: object): string | undefined {
    return this.objects?.get(obj);
  }

  remember(obj: object): void {
    (this.objects ??= new WeakMapCtor()).set(obj, jsonStringify(`[same object as recorded in ${this.where}; recorded once per trace]`));
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
