/**
 * What one trace may record: a budget of characters for inputs, outputs and attributes, and a
 * memory of the large objects already recorded. Keeps a traced program's memory and time bounded
 * however much it passes around (the untraced program never copies its arguments at all).
 *
 * A large object is recorded in full the first RECORD_IN_FULL times a trace meets it unchanged
 * (documents a retriever returned and an LLM call then takes appear in both spans); from then on
 * it is a reference to where it was last recorded. Only a program passing the same big object
 * over and over (a recursive walk passing its root, or subtrees its callers already recorded, or
 * returning what its callees returned) meets it more often; one too large for a value's limit is
 * recorded once, cut short, then referred to (a second cut copy would show no more of it). An
 * object that changed since it was recorded (an agent's message list, one message longer each
 * turn) is recorded in full again: a reference must never stand for content the object no longer
 * has; an array, Set, Map or large plain object that only grew is written by continuing its
 * earlier record (serialize.ts, writeRecordedItems). The marker is short, since it may stand in
 * on thousands of spans: how often an object is recorded in full is documented, not repeated in
 * every marker.
 */
import { inheritsFromProxy, memberValue } from './data-property.js';
import { arrayIsArray, isProxy, jsonStringify, MapCtor, mapEntries, objectKeys, SetCtor, setValues, WeakMapCtor } from './intrinsics.js';
import { serialize, type EarlierArray, type RecordedObjects } from './serialize.js';
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
  /** Times recorded in full with this {@link Remembered.shape}. */
  times: number;
  marker: string;
  shape: unknown[] | undefined;
  /** An array's complete JSON when last recorded in full, to be continued (see RecordedObjects.earlier). */
  array: EarlierArray | undefined;
}

/** How many values {@link readShape} compares: enough for a message list or a tree's top levels, cheap next to serializing. */
const SHAPE_VALUES = 64;

const mapSize = Object.getOwnPropertyDescriptor(MapCtor.prototype, 'size')!.get!;
const setSize = Object.getOwnPropertyDescriptor(SetCtor.prototype, 'size')!.get!;

/**
 * What `obj` holds as far as a cheap look tells, into `out`: its own values (an array's length
 * and items, a Map's size and its entries' keys and values, a Set's size and items, an object's
 * key count, keys and values), then those of its children, breadth first, up to SHAPE_VALUES
 * values. Recorded again when any of them is no longer the same value (objects by identity), so
 * a list one item longer, a replaced field or an edited message is never a reference; a change
 * deeper than that, or past the first values of a larger object, is not seen (README, "Budgets").
 * Runs while a value is being recorded and, as the serializer, runs no getter and no Proxy trap
 * (a Map's or Set's items are read by the engine's own iteration); false if reading failed.
 */
function readShape(obj: object, out: unknown[], items = Infinity): boolean {
  try {
    appendOwnValues(obj, out, items);
    for (let i = 0; i < out.length && out.length < SHAPE_VALUES; i++) {
      const v = out[i];
      // A Proxy is compared by identity only (reading it would run its traps).
      if (typeof v === 'object' && v !== null && !isProxy(v)) appendOwnValues(v, out, Infinity);
    }
    return true;
  } catch {
    return false;
  }
}

/** `items`: as if it held only its first `items` items (an object: fields). */
function appendOwnValues(obj: object, out: unknown[], items: number): void {
  if (arrayIsArray(obj)) {
    const length = items < obj.length ? items : obj.length;
    out.push(length);
    for (let i = 0; i < length && out.length < SHAPE_VALUES; i++) out.push(obj[i]);
  } else if (inheritsFromProxy(obj)) {
    appendOwnFields(obj, out, items);
  } else if (obj instanceof MapCtor) {
    const size = mapSize.call(obj) as number;
    out.push(items < size ? items : size);
    appendIterated(mapEntries.call(obj), items, out, true);
  } else if (obj instanceof SetCtor) {
    const size = setSize.call(obj) as number;
    out.push(items < size ? items : size);
    appendIterated(setValues.call(obj), items, out, false);
  } else {
    appendOwnFields(obj, out, items);
  }
}

function appendOwnFields(obj: object, out: unknown[], items: number): void {
  const keys = objectKeys(obj);
  const length = items < keys.length ? items : keys.length;
  out.push(length);
  for (let i = 0; i < length && out.length < SHAPE_VALUES; i++) out.push(keys[i], memberValue(obj, keys[i]!));
}

/** The first `items` items of a Map's or Set's own iterator (a Map entry as its key and value). */
function appendIterated(iterator: Iterator<unknown>, items: number, out: unknown[], entries: boolean): void {
  for (let i = 0; i < items && out.length < SHAPE_VALUES; i++) {
    const r = iterator.next();
    if (r.done) return;
    if (entries) out.push((r.value as [unknown, unknown])[0], (r.value as [unknown, unknown])[1]);
    else out.push(r.value);
  }
}

// Reused for the shape read on every meet (most meets find it unchanged: nothing to keep). A
// getter the read reaches could record a value itself: that nested read finds it taken.
let spareShape: unknown[] | undefined = [];

/** `items`: compare a list's first items (an object's first fields) only, as if it held no more (it may have grown since). */
function sameShape(obj: object, shape: unknown[], items = Infinity): boolean {
  const now = spareShape ?? [];
  spareShape = undefined;
  try {
    if (!readShape(obj, now, items) || now.length !== shape.length) return false;
    for (let i = 0; i < shape.length; i++) {
      const a = now[i];
      const b = shape[i];
      if (a !== b && !(a !== a && b !== b)) return false;
    }
    return true;
  } finally {
    now.length = 0;
    spareShape = now;
  }
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
    return seen !== undefined && seen.times >= RECORD_IN_FULL && seen.shape !== undefined && sameShape(obj, seen.shape) ? seen.marker : undefined;
  }

  earlier(obj: object, length: number): EarlierArray | undefined {
    const seen = this.objects?.get(obj);
    const array = seen?.array;
    if (array === undefined || length < array.length) return undefined;
    // Its first items are what they were (judged as any change is: by the first values).
    return sameShape(obj, seen!.shape!, array.length) ? array : undefined;
  }

  /**
   * `obj` was just recorded (as the span being encoded's field): in full, or `cut` short, taking
   * about the whole value's limit. One too large to record in full is written once, cut, and
   * then referred to: a second cut copy would show no more of it.
   */
  remember(obj: object, array: EarlierArray | undefined, cut: boolean): void {
    const objects = (this.objects ??= new WeakMapCtor());
    const seen = objects.get(obj);
    if (seen !== undefined && seen.shape !== undefined && sameShape(obj, seen.shape)) {
      seen.times = cut ? RECORD_IN_FULL : seen.times + 1;
      seen.array ??= array;
      return;
    }
    const shape: unknown[] = [];
    const where = jsonStringify(`[same object as in span "${whereSpan}" ${whereField}]`);
    const readable = readShape(obj, shape);
    const times = cut ? RECORD_IN_FULL : 1;
    if (seen === undefined) objects.set(obj, { times, marker: where, shape: readable ? shape : undefined, array: readable ? array : undefined });
    else {
      // Changed since: counted afresh, and referred to where it was recorded as it is now.
      seen.times = times;
      seen.marker = where;
      seen.shape = readable ? shape : undefined;
      seen.array = readable ? array : undefined;
    }
  }

  /**
   * Serializes `value` for the span `spanName`'s `field`, within what is left of the budget;
   * `refer`: large objects met before may be a reference (see the top of this module).
   */
  encode(value: unknown, state: RuntimeState, spanName: string, field: string, refer = true): string {
    const remaining = state.maxTraceRecordedChars - this.used;
    if (remaining <= 0) {
      this.truncated++;
      return usedUpMarker(state.maxTraceRecordedChars);
    }
    whereSpan = spanName;
    whereField = field;
    const text = serialize(value, { maxChars: remaining < state.maxValueChars ? remaining : state.maxValueChars, recorded: refer ? this : undefined });
    this.used += text.length;
    return text;
  }
}
