/**
 * Turns any JavaScript value into JSON text for span inputs/outputs/attributes.
 *
 * Contract: never throws, never hangs, bounded output. Cycles, BigInt, Map/Set, Date, Error,
 * binary data, class instances, functions, symbols, throwing getters and hostile Proxies all
 * produce readable JSON. Output is written in one pass (no intermediate tree) because this
 * runs on every traced call.
 */
import { dataProperty, inheritsFromProxy, memberValue, NOT_READ } from './data-property.js';
import { reportInternalError } from './diagnostics.js';
import {
  arrayIsArray,
  DateCtor,
  DatePrototype,
  ErrorCtor,
  isProxy,
  jsonStringify,
  MapCtor,
  mapEntries,
  NativePromise,
  numberIsFinite,
  objectGetPrototypeOf,
  objectKeys,
  ObjectPrototype,
  SetCtor,
  setValues,
  urlToJSON,
  WeakMapCtor,
} from './intrinsics.js';
import { JsonEntity } from '../model/json-text.js';
import { flattened } from '../platform/flat-string.js';
import { isoDate } from './iso-date.js';
import { NamedArguments, type PlainParamNames } from './params.js';
import { runtimeState } from './state.js';

const ArrayBufferCtor = ArrayBuffer;
const arrayBufferIsView = ArrayBuffer.isView;
const SharedArrayBufferCtor = typeof SharedArrayBuffer === 'function' ? SharedArrayBuffer : undefined;
const WeakSetCtor = WeakSet;
const WeakRefCtor = typeof WeakRef === 'function' ? WeakRef : undefined;
const isBuffer = typeof Buffer === 'function' ? Buffer.isBuffer : () => false;
const StringCtor = String;
const objectCreate = Object.create;

/**
 * Remembers large objects already recorded in one trace, so a value passed again and again
 * (the root of a recursive walk) is recorded once and referred to afterwards.
 */
export interface RecordedObjects {
  /** The marker text (a JSON string) to write instead of an object recorded earlier, if any. */
  get(obj: object): string | undefined;
  /**
   * An array, Set, Map or plain object recorded in full earlier in the trace whose items (fields)
   * then are still its first ones (it is unchanged, or only grew; it holds `length` now): that
   * record, to be continued rather than written again.
   */
  earlier(obj: object, length: number): EarlierArray | undefined;
  /**
   * Called for objects whose JSON took at least `minChars`; `array`: a list's complete JSON
   * (nothing cut short), to be continued (see {@link EarlierArray}); `cut`: its record took
   * about the whole value's limit and was cut short (no record can hold it in full: referred to
   * from its next meeting on).
   */
  remember(obj: object, array: EarlierArray | undefined, cut: boolean): void;
  readonly minChars: number;
}

/**
 * A list's JSON as recorded without its closing bracket (`[` and its items: an array's, a Set's,
 * or a Map's entries as `[key, value]`; or `{` and fields: a plain object's, or a Map's written as
 * an object), how many items it had then, and the values its writing counted.
 */
export interface EarlierArray {
  readonly open: string;
  readonly length: number;
  readonly nodes: number;
  /** Its last item then (a Map entry: its key), still where it was if nothing was inserted before it. */
  readonly last: unknown;
  /** Written as fields (`{`); a Map is, while it has only primitive keys. */
  readonly fields: boolean;
}

export interface SerializeLimits {
  /** Maximum characters of JSON produced; longer output becomes a truncated string. */
  maxChars: number;
  /** Maximum nesting depth. */
  maxDepth?: number;
  /** Maximum number of values visited (guards huge arrays/objects). */
  maxNodes?: number;
  /** Objects already recorded in the same trace may become a reference marker. */
  recorded?: RecordedObjects;
}

const DEFAULT_DEPTH = 24;
const DEFAULT_NODES = 20_000;
export const TRUNCATION_MARKER = '...[truncated by tracewright: ';

class Writer {
  out = '';
  nodes = 0;
  readonly stack: object[] = [];
  maxChars = 0;
  maxDepth = 0;
  maxNodes = 0;
  recorded: RecordedObjects | undefined = undefined;
  /** Objects handed to `recorded.remember` so far. */
  remembered = 0;
  /** Characters written before `out` (while a continued array's new items are written on their own). */
  base = 0;
  /** The text holds an earlier record (see {@link writeRecordedItems}): not to be copied flat. */
  shares = false;
  /** The list just written, to be continued later (see {@link writeRecordedItems}); taken by writeObject. */
  list: EarlierArray | undefined = undefined;
  /** configureTracing's `useToJSON`: program objects are recorded through their `toJSON()`. */
  useToJSON = false;
  /** What a `toJSON()` just returned: written as it is, never through its own `toJSON` (as JSON.stringify does). */
  replacement: object | undefined = undefined;
  get full(): boolean {
    return this.base + this.out.length > this.maxChars || this.nodes > this.maxNodes;
  }
}

// One writer is reused (its stack array too): every traced call serializes its inputs and
// output, and a fresh writer per value was garbage for the collector on every call. A nested
// serialize (a toJSON that records on a span) finds it taken and makes its own.
let spareWriter: Writer | undefined = new Writer();

function takeWriter(limits: SerializeLimits): Writer {
  const w = spareWriter ?? new Writer();
  spareWriter = undefined;
  w.maxChars = limits.maxChars;
  w.maxDepth = limits.maxDepth ?? DEFAULT_DEPTH;
  w.maxNodes = limits.maxNodes ?? DEFAULT_NODES;
  w.recorded = limits.recorded;
  return w;
}

function returnWriter(w: Writer): void {
  w.out = '';
  w.nodes = 0;
  w.remembered = 0;
  w.base = 0;
  w.shares = false;
  w.list = undefined;
  w.replacement = undefined;
  // Balanced unless a write failed midway: setting an array's length is a builtin call.
  if (w.stack.length !== 0) w.stack.length = 0;
  w.recorded = undefined;
  spareWriter = w;
}

/**
 * Characters JSON.stringify writes differently from themselves: quote, backslash, controls,
 * and surrogates (a lone one is escaped; paired ones are left alone, but telling them apart is
 * JSON.stringify's job).
 */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify(s)`. Most strings (keys, identifiers, prose) need no escaping, and quoting
 * them directly skips a call into the JSON builtin per string, the serializer's largest cost on
 * plain data (profiled: ~40% of its self time was here).
 */
function quote(s: string): string {
  return needsEscape(s) ? jsonStringify(s) : `"${s}"`;
}

/**
 * Long strings recur from record to record (a document, a prompt, the message history passed
 * down a trace and to every call), and scanning one costs ~1 ns a character: whether a long
 * string needs escaping is remembered for the last one of each length bucket. A slot is found
 * without hashing; comparing with the string it holds is a pointer check for the same string
 * and stops at the first different character for another. Holds at most SCAN_SLOTS strings the
 * program made (no copies), each up to SCAN_MAX_CHARS.
 */
const SCAN_MIN_CHARS = 128;
const SCAN_MAX_CHARS = 16_384;
const SCAN_SLOTS = 64;
const scannedText: Array<string | undefined> = new Array<string | undefined>(SCAN_SLOTS).fill(undefined);
const scannedNeeds: boolean[] = new Array<boolean>(SCAN_SLOTS).fill(false);

function needsEscape(s: string): boolean {
  const length = s.length;
  if (length < SCAN_MIN_CHARS || length > SCAN_MAX_CHARS) return NEEDS_ESCAPE.test(s);
  const slot = length & (SCAN_SLOTS - 1);
  if (scannedText[slot] === s) return scannedNeeds[slot]!;
  const needs = NEEDS_ESCAPE.test(s);
  scannedText[slot] = s;
  scannedNeeds[slot] = needs;
  return needs;
}

/**
 * Keys repeat across calls (the same shapes are recorded over and over): `"key":`, memoized.
 * A prototype-less dictionary rather than a Map: no method the program could replace is called.
 */
let keyTexts: Record<string, string> = objectCreate(null);
let keyTextCount = 0;
const KEY_CACHE_MAX = 1024;
const KEY_CACHE_KEY_CHARS = 64;

function quotedKey(w: Writer, key: string): string {
  let text = keyTexts[key];
  if (text === undefined) {
    text = `${quote(key.length > w.maxChars ? key.slice(0, w.maxChars) : key)}:`;
    if (key.length <= KEY_CACHE_KEY_CHARS && key.length <= w.maxChars) {
      if (keyTextCount >= KEY_CACHE_MAX) {
        keyTexts = objectCreate(null);
        keyTextCount = 0;
      }
      keyTexts[key] = text;
      keyTextCount++;
    }
  }
  return text;
}

function str(w: Writer, s: string): void {
  // Cap each string well before JSON escaping so one huge string cannot allocate unboundedly.
  w.out += quote(s.length > w.maxChars ? s.slice(0, w.maxChars) : s);
}

function writeValue(w: Writer, value: unknown, depth: number): void {
  w.nodes++;
  switch (typeof value) {
    case 'string':
      str(w, value);
      return;
    case 'number':
      w.out += numberIsFinite(value) ? StringCtor(value) : jsonStringify(StringCtor(value));
      return;
    case 'boolean':
      w.out += value ? 'true' : 'false';
      return;
    case 'undefined':
      w.out += 'null';
      return;
    case 'bigint':
      str(w, value.toString());
      return;
    case 'symbol':
      str(w, value.toString());
      return;
    case 'function':
      str(w, functionLabel(value));
      return;
  }
  if (value === null) {
    w.out += 'null';
    return;
  }
  writeObject(w, value as object, depth);
}

/**
 * An object whose record alone took all but this much of the value's limit, and was cut: any
 * later record of it (an argument again, starting near the front) would be cut about as short.
 */
const CUT_SLACK_CHARS = 1_024;

/**
 * `[Function name]`, made once per function: the same functions (a registry's callbacks, the
 * handlers a client holds) are recorded span after span, and reading a name without running a
 * getter is an engine lookup (~70 ns a function once optimized, several times that before). A
 * name redefined after the function was first recorded still shows the first one.
 */
const functionLabels = new WeakMapCtor<object, string>();
function functionLabel(fn: object): string {
  let label = functionLabels.get(fn);
  if (label === undefined) {
    const name = isProxy(fn) ? undefined : memberValue(fn, 'name');
    label = `[Function${typeof name === 'string' && name ? ' ' + name : ''}]`;
    functionLabels.set(fn, label);
  }
  return label;
}

function writeObject(w: Writer, obj: object, depth: number): void {
  const proxy = isProxy(obj);
  // Read once, for the date check here and the plain-record check in writeObjectBody (a Proxy's
  // would run its getPrototypeOf trap).
  const proto = proxy ? null : objectGetPrototypeOf(obj);
  // The most common object in recorded trees after plain ones: written as its text at once (a
  // date is never circular, nor long enough to be remembered).
  if (proto === DatePrototype) {
    try {
      writeDate(w, obj as Date);
    } catch (error) {
      // Not a real Date (made with Object.create): nothing was written.
      writeUnserializable(w, error);
    }
    return;
  }
  if (w.stack.includes(obj)) return str(w, '[Circular]');
  if (depth >= w.maxDepth) return str(w, '[Max depth]');
  const recorded = w.recorded;
  if (recorded) {
    const marker = recorded.get(obj);
    if (marker !== undefined) {
      w.out += marker;
      return;
    }
  }
  w.stack.push(obj);
  const mark = w.out.length;
  try {
    writeObjectBody(w, obj, proxy, proto, depth);
    const list = w.list;
    w.list = undefined;
    if (recorded && w.out.length - mark >= recorded.minChars) {
      w.remembered++;
      recorded.remember(obj, list, w.full && w.out.length - mark >= w.maxChars - CUT_SLACK_CHARS);
    }
  } catch (error) {
    // A Proxy trap or exotic object failed as a whole: drop its partial output, describe it.
    w.list = undefined;
    w.out = w.out.slice(0, mark);
    writeUnserializable(w, error);
  } finally {
    w.stack.pop();
  }
}

/** What stands for a value that could not be read: the error, in its place. */
function writeUnserializable(w: Writer, error: unknown): void {
  str(w, `[Unserializable: ${errorText(error)}]`);
}

function errorText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown error';
  }
}

function writeArray(w: Writer, items: ArrayLike<unknown>, depth: number): void {
  w.out += '[';
  writeOpenItems(w, items, 0, depth);
  w.out += ']';
}

/**
 * A list (an array; a Set's items, a Map's entries or fields, a plain object's fields; `owner`
 * being the object), in a trace that remembers large objects. One recorded earlier in the trace,
 * unchanged or grown since, is its earlier JSON, then the items added after it, exactly as it
 * would be written afresh. A recursive walk that passes an accumulator to every call
 * (annotations, a visited Set, a Map of what it has seen, a memo) records it on every span:
 * written afresh each time that cost
 * grew with the square of the walk, and so did memory while each record was a copy of the last
 * one and more. A continued record shares the earlier text instead: the new items are written on
 * their own and appended to it, and the record is left unflattened (a few pieces).
 */
function writeRecordedItems(
  w: Writer,
  recorded: RecordedObjects,
  owner: object,
  items: unknown[] | undefined,
  keys: string[] | undefined,
  kind: ListKind,
  depth: number,
): void {
  const outer = w.out;
  const mark = outer.length;
  const nodesAtMark = w.nodes;
  const rememberedAtMark = w.remembered;
  const length = kind === FIELDS ? keys!.length : items!.length;
  const earlier = recorded.earlier(owner, length);
  const close = kind === FIELDS ? '}' : ']';
  let open: string | undefined;
  // Past the limits the list is cut short where writing it afresh would cut it. An item inserted
  // before the last one recorded (past the first values compared) moved it: written afresh. So
  // is a Map that was written in the other form then.
  if (
    earlier !== undefined &&
    itemAt(items, keys, kind, earlier.length - 1) === earlier.last &&
    earlier.fields === (kind === FIELDS) &&
    mark + earlier.open.length + 1 <= w.maxChars &&
    w.nodes + earlier.nodes <= w.maxNodes
  ) {
    w.base += mark;
    w.out = '';
    try {
      w.nodes += earlier.nodes; // the earlier items' values, as if written again
      if (kind === FIELDS) writeOpenFields(w, keys!, owner, items, earlier.length, depth);
      else writeOpenItems(w, items!, earlier.length, depth);
    } catch (error) {
      w.out = outer;
      throw error;
    } finally {
      w.base -= mark;
    }
    open = w.out === '' ? earlier.open : earlier.open + flattened(w.out);
    w.out = `${flattened(outer)}${open}${close}`;
    w.shares = true;
  } else if (kind === FIELDS) {
    writeFields(w, keys!, owner, items, depth);
  } else {
    writeArray(w, items!, depth);
  }
  // Continued later only if long enough to be remembered at all, and if written afresh it would
  // read the same: complete (not cut short by the limits), and holding no large object in full,
  // which a later record may refer to instead (an agent's system message in its growing list).
  if (w.out.length - mark < recorded.minChars || w.full || w.remembered !== rememberedAtMark) return;
  // Written afresh: a slice of the record, once flat (no copy of its own).
  open ??= w.out.slice(mark, w.out.length - 1);
  w.list = { open, length, nodes: w.nodes - nodesAtMark, last: itemAt(items, keys, kind, length - 1), fields: kind === FIELDS };
}

/**
 * A list as JSON; in a trace that remembers large objects, continued from its earlier record
 * (writeRecordedItems); a plain object (`keys` without `items`: values read from it) only from
 * CONTINUED_MIN_FIELDS on. Never a Proxy's: those are described (writeObjectBody).
 */
function writeList(w: Writer, owner: object, items: unknown[] | undefined, keys: string[] | undefined, kind: ListKind, depth: number): void {
  const recorded = w.recorded;
  const worthIt = items !== undefined || keys!.length >= CONTINUED_MIN_FIELDS;
  if (recorded !== undefined && worthIt) {
    writeRecordedItems(w, recorded, owner, items, keys, kind, depth);
  } else if (kind === FIELDS) {
    writeFields(w, keys!, owner, items, depth);
  } else {
    writeArray(w, items!, depth);
  }
}

/**
 * How a list is written: its items, a Map's `[key, value]` entries, or fields (a plain object's,
 * values read from it; a Map's keys and values).
 */
type ListKind = 0 | 1 | 2;
const ITEMS = 0;
const ENTRIES = 1;
const FIELDS = 2;

/** What marks the item at `i`: the item; a Map entry's key (each entry is a fresh array); a field's key. */
function itemAt(items: readonly unknown[] | undefined, keys: readonly string[] | undefined, kind: ListKind, i: number): unknown {
  return kind === ITEMS ? items![i] : kind === ENTRIES ? (items![i] as MapEntry)[0] : keys![i];
}

/** Fewer fields are cheap to write afresh: a plain object is continued from this many on (writeList). */
const CONTINUED_MIN_FIELDS = 16;

/** Items `from` on (after a comma if there are items before), without the closing bracket. */
function writeOpenItems(w: Writer, items: ArrayLike<unknown>, from: number, depth: number): void {
  // Indexed reads, not the array's iterator: a patched iterator is program code we must not run.
  const length = items.length;
  for (let i = from; i < length; i++) {
    if (i > 0) w.out += ',';
    if (w.full) {
      str(w, `[${length - i} more items]`);
      break;
    }
    writeValue(w, items[i], depth + 1);
  }
}

/** The engine's own Map/Set iteration (never an overridden `[Symbol.iterator]`). */
function collect(iterator: Iterator<unknown>, limit: number): unknown[] {
  const items: unknown[] = [];
  for (let r = iterator.next(); !r.done && items.length < limit; r = iterator.next()) items.push(r.value);
  return items;
}

/**
 * Writes `{"key":value,...}`: each value is `values[i]` when given (Map entries), else read
 * from `source[key]`, which may throw (getters, proxies): that property alone becomes a
 * marker. Hot path for plain objects, so no closure per object. `call`: the fields are a call's
 * parameters (`keys`, with their key texts made once); without `values`, `source` is the
 * object compiled `// @trace` code made for the call (own data properties only, never seen by
 * the program), read directly.
 */
function writeFields(
  w: Writer,
  keys: readonly string[],
  source: object,
  values: ArrayLike<unknown> | undefined,
  depth: number,
  call?: PlainParamNames,
): void {
  w.out += '{';
  writeOpenFields(w, keys, source, values, 0, depth, call);
  w.out += '}';
}

/** Fields `from` on (after a comma if there are fields before), without the closing brace. */
function writeOpenFields(
  w: Writer,
  keys: readonly string[],
  source: object,
  values: ArrayLike<unknown> | undefined,
  from: number,
  depth: number,
  call?: PlainParamNames,
): void {
  for (let i = from; i < keys.length; i++) {
    const key = keys[i]!;
    if (i > 0) w.out += ',';
    w.out += call !== undefined && key.length <= w.maxChars ? call.keyTexts[i]! : quotedKey(w, key);
    if (w.full) {
      str(w, '[truncated]');
      break;
    }
    let v: unknown;
    if (values) v = values[i];
    else if (call !== undefined) v = (source as Record<string, unknown>)[key];
    else {
      try {
        v = memberValue(source, key);
      } catch (error) {
        writeUnserializable(w, error);
        continue;
      }
    }
    // A getter is not run (data-property.ts): the record says there is one.
    if (v === NOT_READ) str(w, '[getter]');
    else writeValue(w, v, depth + 1);
  }
}

type MapEntry = [key: unknown, value: unknown];

/**
 * Keyed by objects (or symbols, functions), a Map's keys would all read "[object Object]" as
 * object keys and collide: it is written as its [key, value] entries instead.
 */
function keyedByObjects(entries: readonly MapEntry[]): boolean {
  for (const entry of entries) {
    const k = entry[0];
    if ((typeof k === 'object' && k !== null) || typeof k === 'symbol' || typeof k === 'function') return true;
  }
  return false;
}

/** A Map with only primitive keys, as the object it is written as: its keys as text, its values. */
class MapFields {
  readonly keys: string[] = [];
  readonly values: unknown[] = [];
  constructor(entries: readonly MapEntry[]) {
    for (const entry of entries) {
      this.keys.push(typeof entry[0] === 'string' ? entry[0] : safeString(entry[0]));
      this.values.push(entry[1]);
    }
  }
}

/** Written as its own enumerable fields, read directly (no class to describe, no `toJSON` to use; a `toJSON` getter is not run). */
function isPlainRecord(w: Writer, obj: object, proto: unknown): boolean {
  return (proto === ObjectPrototype || proto === null) && !(w.useToJSON && hasMethod(obj, 'toJSON'));
}

/**
 * `typeof obj[key] === 'function'` without running a getter. Most objects have no such key at
 * all: `in` (no program code runs for an object that is not a Proxy) answers them without the
 * getter lookup, which costs a call into the engine per object recorded.
 */
function hasMethod(obj: object, key: string): boolean {
  return key in obj && typeof memberValue(obj, key) === 'function';
}

/** ISO text never needs escaping. */
function writeDate(w: Writer, date: Date): void {
  w.out += `"${isoDate(date)}"`;
}

function writeObjectBody(w: Writer, obj: object, proxy: boolean, proto: object | null, depth: number): void {
  // Reading through a Proxy runs its traps, the program's code (a query result that tracks the
  // fields read, a reactive store that records dependencies): it is described, not read.
  if (proxy) return str(w, '[Proxy]');
  if (isPlainRecord(w, obj, proto)) return writeList(w, obj, undefined, objectKeys(obj), FIELDS, depth);
  if (arrayIsArray(obj)) return writeList(w, obj, obj as unknown[], undefined, ITEMS, depth);
  // Classifying it (instanceof, `then`/`toJSON` lookups) would run the traps: its own fields only.
  if (inheritsFromProxy(obj)) return writeFields(w, objectKeys(obj), obj, undefined, depth);
  if (obj instanceof DateCtor) return writeDate(w, obj);
  if (obj instanceof ErrorCtor) return writeError(w, obj, depth);
  if (obj instanceof MapCtor) {
    const entries = collect(mapEntries.call(obj), w.maxNodes) as MapEntry[];
    if (keyedByObjects(entries)) return writeList(w, obj, entries, undefined, ENTRIES, depth);
    const fields = new MapFields(entries);
    return writeList(w, obj, fields.values, fields.keys, FIELDS, depth);
  }
  if (obj instanceof SetCtor) return writeList(w, obj, collect(setValues.call(obj), w.maxNodes), undefined, ITEMS, depth);
  if (arrayBufferIsView(obj) || obj instanceof ArrayBufferCtor || (SharedArrayBufferCtor && obj instanceof SharedArrayBufferCtor)) {
    const name = isBuffer(obj) ? 'Buffer' : className(obj, 'ArrayBuffer');
    return str(w, `[${name} ${(obj as ArrayBuffer).byteLength} bytes]`);
  }
  if (obj instanceof NativePromise) return str(w, `[${className(obj, 'Promise')}]`);
  if (obj instanceof WeakMapCtor || obj instanceof WeakSetCtor || (WeakRefCtor && obj instanceof WeakRefCtor)) {
    return str(w, `[${className(obj, 'Weak')}]`);
  }
  // A thenable (query builder, lazy request) is described, never awaited or converted: its
  // `then`/`toJSON` may run the query. A `then` getter is not run: described the same way.
  const then = 'then' in obj ? memberValue(obj, 'then') : undefined;
  if (then === NOT_READ || typeof then === 'function') return str(w, `[${className(obj, 'Object')} (thenable)]`);
  if (w.replacement === obj) w.replacement = undefined;
  else {
    const toJSON = 'toJSON' in obj ? memberValue(obj, 'toJSON') : undefined;
    if (typeof toJSON === 'function' && (w.useToJSON || ownToJSON(obj, toJSON))) {
      const replaced: unknown = toJSON.call(obj);
      if (replaced !== obj) {
        if (typeof replaced === 'object' && replaced !== null) w.replacement = replaced;
        return writeValue(w, replaced, depth);
      }
    }
  }
  writeFields(w, objectKeys(obj), obj, undefined, depth);
}

/**
 * A `toJSON` that runs none of the program's code: the runtime's own entities' (a trace handed
 * to a traced scorer) and the built-in one of a `URL`. Any other is the program's, used only
 * with `useToJSON`: xstate's state nodes read memoizing getters in theirs, and recording one
 * changed the machine the program later built.
 */
function ownToJSON(obj: object, toJSON: unknown): boolean {
  return toJSON === urlToJSON || (toJSON === JsonEntity.prototype.toJSON && obj instanceof JsonEntity);
}

function className(obj: object, fallback: string): string {
  const ctor = memberValue(obj, 'constructor');
  const name = typeof ctor === 'function' ? memberValue(ctor, 'name') : undefined;
  return typeof name === 'string' && name ? name : fallback;
}

/**
 * An error's name and message (usually from its class and constructor), cause and own fields,
 * as data properties. Its stack is not read: V8 formats it at the first read, fixing the name and
 * message it shows then, so reading it here would change what the program later sees (an error
 * still being built, or renamed when caught). Stacks of the exceptions a span records are read
 * when the trace is exported.
 */
function writeError(w: Writer, error: Error, depth: number): void {
  const keys: string[] = [];
  const values: unknown[] = [];
  const add = (key: string, always: boolean): void => {
    let value: unknown;
    try {
      value = dataProperty(error, key);
    } catch (failure) {
      value = `[Unserializable: ${errorText(failure)}]`;
    }
    if (!always && value === undefined) return;
    keys.push(key);
    values.push(value);
  };
  add('name', true);
  add('message', true);
  add('cause', false);
  for (const key of objectKeys(error)) if (key !== 'stack' && key !== 'cause' && !keys.includes(key)) add(key, true);
  writeFields(w, keys, error, values, depth);
}

const objectToString = Object.prototype.toString;

function safeString(v: unknown): string {
  try {
    return typeof v === 'object' && v !== null ? objectToString.call(v) : StringCtor(v);
  } catch {
    return '[unprintable key]';
  }
}

/** The over-long JSON text as a JSON string with a marker, escaping included within `maxChars`. */
function truncatedString(text: string, maxChars: number): string {
  let keep = maxChars;
  for (;;) {
    const encoded = jsonStringify(`${text.slice(0, keep)}${TRUNCATION_MARKER}${text.length - keep}+ more chars]`);
    if (encoded.length <= maxChars || keep === 0) return encoded;
    keep = Math.max(0, keep - (encoded.length - maxChars) - 8);
  }
}

/**
 * Serializes `value` to JSON text within `limits`. Never throws. Whatever program code it
 * reaches (getters, `toJSON`, proxy traps) runs with tracing suspended, so recording a value
 * can never start spans, nor recurse through traced code that records the value again.
 */
export function serialize(value: unknown, limits: SerializeLimits): string {
  // Fast paths for the common primitive cases.
  if (typeof value === 'string' && value.length <= limits.maxChars) return quote(value);
  if (typeof value === 'number' && numberIsFinite(value)) return StringCtor(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null || value === undefined) return 'null';
  const state = runtimeState();
  let w: Writer | undefined;
  // Near the stack limit any call in here can throw (a RangeError, left to the caller): the
  // count is restored first, by a plain store, or every later traced call would run untraced.
  state.recording++;
  try {
    w = takeWriter(limits);
    w.useToJSON = state.useToJSON === true;
    if (NamedArguments.is(value)) {
      // A call's inputs, written as the object they stand for (fresh: never a cycle, never seen
      // again, so neither tracked nor remembered).
      w.nodes++;
      writeFields(w, value.names, value.source ?? value, value.values, 0, value.names);
    } else {
      writeValue(w, value, 0);
    }
    if (w.out.length <= limits.maxChars) return w.shares ? w.out : flattened(w.out);
    return truncatedString(w.out, limits.maxChars);
  } catch (error) {
    reportInternalError('serialize', error);
    return jsonStringify('[Unserializable value]');
  } finally {
    state.recording--;
    if (w !== undefined) returnWriter(w);
  }
}
