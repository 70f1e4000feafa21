/**
 * Parameter names → span inputs.
 *
 * Two sources, one representation ({@link ParamPattern}):
 *  - build time: the transformer passes each parameter's binding pattern as a string
 *    (`"query"`, `"...rest"`, `"{ a, b: { c } }"`), so names survive minification;
 *  - run time fallback: the source of the function (`Function.prototype.toString`) is
 *    tokenized. It copes with defaults containing commas/parens/strings/regexes/templates,
 *    comments, destructuring, rest, and async/generator/arrow/method forms. It never throws;
 *    when nothing can be recovered the caller records arguments positionally.
 *
 * Binding reads nothing the function would not, and nothing twice: destructured properties are
 * taken only when they are data properties (a getter is left to the function), array patterns
 * only from real arrays (another iterable is never pulled), and the names in question are left
 * out of the inputs instead.
 *
 * Defaults (`k = 3`, `{ lang = 'en' } = {}`): an omitted argument is recorded as the value the
 * function used only when that value is a literal we can know without evaluating anything
 * ({@link literalDefault}); for any other default the bound names are left out of the inputs,
 * so a recorded value is always one the function really had.
 *
 * Build-time format (the second argument of `@Trace`, third of `trace()`): one string per
 * parameter, the binding pattern without type annotations, rest marked with `...`:
 *   ["query", "{ a, b: { c } }", "...rest"]                 (current form: no defaults)
 *   ["query", "k = 3", "{ lang = 'en', n = ? } = {}"]        (extended form)
 * In the extended form a default is written as its literal source text when it is a literal
 * of the kinds listed at {@link literalDefault}, and as `?` (any non-literal text works) when it
 * is not; a parameter without a default has no `=`. Both forms parse with parseParamStrings.
 */

import { dataProperty, NOT_READ } from './data-property.js';
import { jsonStringify } from './intrinsics.js';

/** What an omitted (undefined) value becomes: a known literal, or unknown (leave it out). */
export type ParamDefault = { known: true; value: () => unknown } | { known: false };

export type ParamPattern = (
  | { type: 'id'; name: string }
  | { type: 'object'; props: Array<{ key: string | null; value: ParamPattern }>; rest?: string }
  | { type: 'array'; items: Array<ParamPattern | null>; rest?: ParamPattern }
) & { default?: ParamDefault };

export interface ParamSpec {
  pattern: ParamPattern;
  /** `...rest` parameter: receives the remaining arguments as an array. */
  rest: boolean;
}

/**
 * A call's arguments under their parameter names, recorded as the object `{ name: value, … }`
 * (names beyond the arguments given record null, as an undefined property does). Only the
 * serializer reads it: spans never hand it out.
 */
export class NamedArguments {
  // A brand, not instanceof: recognising one must not run a Proxy's getPrototypeOf trap.
  readonly #named = true;
  /** `values`: by position; undefined: read from `source` by name (an object made for the call, never seen by the program). */
  constructor(
    readonly names: PlainParamNames,
    readonly values: ArrayLike<unknown> | undefined,
    readonly source?: object,
  ) {}
  static is(value: unknown): value is NamedArguments {
    return typeof value === 'object' && value !== null && #named in value;
  }
}
// V8 keeps an object layout (map) only while some object has it. Every call's NamedArguments is
// garbage by the next full GC, which then dropped the layouts and deoptimized the code that had
// checked them (the serializer, every span's encode), to be optimized again: one is held.
export const LAYOUT_KEEPER = new NamedArguments(Object.assign([], { keyTexts: [] }), []);

/** Parameter names, with each one's JSON key text (`"name":`) made once. */
export type PlainParamNames = readonly string[] & { readonly keyTexts: readonly string[] };

// ---------- scanning ----------

const IDENT = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

/** Index just past the string/template/comment/regex starting at `i`, or -1 if none starts there. */
function skipLiteral(src: string, i: number, prevSignificant: string): number {
  const c = src[i];
  const n = src[i + 1];
  if (c === '/' && n === '/') {
    const end = src.indexOf('\n', i);
    return end === -1 ? src.length : end;
  }
  if (c === '/' && n === '*') {
    const end = src.indexOf('*/', i + 2);
    return end === -1 ? src.length : end + 2;
  }
  if (c === '"' || c === "'") {
    let j = i + 1;
    while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
    return j + 1;
  }
  if (c === '`') return skipTemplate(src, i);
  if (c === '/' && (prevSignificant === '' || '(,=:[!&|?{};+-*%<>~^'.includes(prevSignificant))) {
    let j = i + 1;
    let inClass = false;
    while (j < src.length) {
      const d = src[j];
      if (d === '\\') j += 2;
      else {
        if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        else if (d === '\n') return i + 1; // not a regex after all
        j++;
      }
    }
    j++;
    while (j < src.length && /[a-z]/i.test(src[j]!)) j++;
    return j;
  }
  return -1;
}

function skipTemplate(src: string, i: number): number {
  let j = i + 1;
  while (j < src.length) {
    const d = src[j];
    if (d === '\\') j += 2;
    else if (d === '`') return j + 1;
    else if (d === '$' && src[j + 1] === '{') j = skipBalanced(src, j + 1, '{', '}');
    else j++;
  }
  return j;
}

/** From an opening bracket at `i`, index just past its matching closer. */
function skipBalanced(src: string, i: number, open: string, close: string): number {
  let depth = 0;
  let prev = '';
  let j = i;
  while (j < src.length) {
    const lit = skipLiteral(src, j, prev);
    if (lit !== -1) {
      j = lit;
      continue;
    }
    const c = src[j]!;
    if (c === open || c === '(' || c === '[' || c === '{') depth++;
    else if (c === close || c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return j + 1;
    }
    if (!/\s/.test(c)) prev = c;
    j++;
  }
  return src.length;
}

/** Splits `text` at top-level occurrences of `sep` (outside brackets and literals). */
function splitTopLevel(text: string, sep: ',' | '=' | ':'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let prev = '';
  let j = 0;
  while (j < text.length) {
    const lit = skipLiteral(text, j, prev);
    if (lit !== -1) {
      j = lit;
      prev = 'x';
      continue;
    }
    const c = text[j]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && c === sep) {
      const isOperator = sep === '=' && (text[j + 1] === '=' || text[j + 1] === '>' || '=!<>'.includes(text[j - 1] ?? ''));
      if (!isOperator) {
        parts.push(text.slice(start, j));
        start = j + 1;
        if (sep !== ',') break; // only the first '=' / ':' matters
      }
    }
    if (!/\s/.test(c)) prev = c;
    j++;
  }
  parts.push(text.slice(start));
  return parts;
}

function stripComments(text: string): string {
  let out = '';
  let j = 0;
  let prev = '';
  while (j < text.length) {
    const lit = skipLiteral(text, j, prev);
    if (lit !== -1) {
      const chunk = text.slice(j, lit);
      out += chunk.startsWith('//') || chunk.startsWith('/*') ? ' ' : chunk;
      j = lit;
      prev = 'x';
      continue;
    }
    out += text[j];
    if (!/\s/.test(text[j]!)) prev = text[j]!;
    j++;
  }
  return out;
}

// ---------- patterns ----------

function parseKey(raw: string): string | null {
  const key = raw.trim();
  if (IDENT.test(key)) return key;
  if (/^(['"]).*\1$/s.test(key)) return key.slice(1, -1);
  if (/^\d+$/.test(key)) return key;
  return null; // computed key: value is still bound, but we cannot name the property
}

/** Parses one binding pattern (defaults already stripped or not). Returns null if unparseable. */
export function parsePattern(text: string): ParamPattern | null {
  const [head, init] = splitTopLevel(stripComments(text), '=');
  const pattern = parseBinding(head!.trim());
  if (pattern && init !== undefined) pattern.default = literalDefault(init);
  return pattern;
}

function parseBinding(t: string): ParamPattern | null {
  if (IDENT.test(t)) return { type: 'id', name: t };
  if (t.startsWith('{') && t.endsWith('}')) {
    const props: Array<{ key: string | null; value: ParamPattern }> = [];
    let rest: string | undefined;
    for (const part of splitTopLevel(t.slice(1, -1), ',')) {
      const p = part.trim();
      if (!p) continue;
      if (p.startsWith('...')) {
        rest = p.slice(3).trim();
        continue;
      }
      const [keyText, valueText] = splitColon(p);
      if (valueText === undefined) {
        const value = parsePattern(keyText); // shorthand, maybe with a default: `k = 3`
        if (!value || value.type !== 'id') return null;
        props.push({ key: value.name, value });
      } else {
        const value = parsePattern(valueText);
        if (!value) return null;
        const key = keyText.trim().startsWith('[') ? null : parseKey(keyText);
        props.push({ key, value });
      }
    }
    return rest !== undefined ? { type: 'object', props, rest } : { type: 'object', props };
  }
  if (t.startsWith('[') && t.endsWith(']')) {
    const items: Array<ParamPattern | null> = [];
    let rest: ParamPattern | undefined;
    const parts = splitTopLevel(t.slice(1, -1), ',');
    if (parts.length > 0 && parts[parts.length - 1]!.trim() === '') parts.pop(); // trailing comma
    for (const part of parts) {
      const p = part.trim();
      if (!p) {
        items.push(null); // hole
        continue;
      }
      if (p.startsWith('...')) {
        rest = parsePattern(p.slice(3)) ?? undefined;
        if (!rest) return null;
        continue;
      }
      const value = parsePattern(p);
      if (!value) return null;
      items.push(value);
    }
    return rest ? { type: 'array', items, rest } : { type: 'array', items };
  }
  return null;
}

// ---------- literal defaults ----------

const NUMBER = /^(?:0[xX][\da-fA-F](?:_?[\da-fA-F])*|0[oO][0-7](?:_?[0-7])*|0[bB][01](?:_?[01])*|(?:(?:0|[1-9](?:_?\d)*)(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?)$/;
const UNKNOWN_DEFAULT: ParamDefault = { known: false };
const known = (value: unknown): ParamDefault => ({ known: true, value: () => value });

/**
 * The value of a default initializer when it is a literal whose evaluation has no effect and
 * no dependence on scope: a number (decimal, hex, octal, binary, `_` separators) optionally
 * negated, a string or substitution-free template, `true`, `false`, `null`, `undefined`,
 * `void 0`, and the empty `{}` / `[]` (a fresh one per call, as the function gets). Anything
 * else is unknown: we never evaluate program code to find out what a default would be.
 */
export function literalDefault(text: string): ParamDefault {
  const t = stripComments(text).trim();
  switch (t) {
    case 'true':
      return known(true);
    case 'false':
      return known(false);
    case 'null':
      return known(null);
    case 'undefined':
    case 'void 0':
      return known(undefined);
  }
  if (/^\{\s*\}$/.test(t)) return { known: true, value: () => ({}) };
  if (/^\[\s*\]$/.test(t)) return { known: true, value: () => [] };
  const negative = t.startsWith('-');
  const magnitude = negative ? t.slice(1).trim() : t;
  if (NUMBER.test(magnitude)) {
    const n = Number(magnitude.replace(/_/g, ''));
    return Number.isNaN(n) ? UNKNOWN_DEFAULT : known(negative ? -n : n);
  }
  const q = t[0];
  if ((q === '"' || q === "'" || q === '`') && t.length >= 2 && t[t.length - 1] === q && skipLiteral(t, 0, '') === t.length) {
    if (q === '`' && t.includes('${')) return UNKNOWN_DEFAULT;
    const value = unescapeString(t.slice(1, -1));
    return value === null ? UNKNOWN_DEFAULT : known(value);
  }
  return UNKNOWN_DEFAULT;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' };

/** The value of a string literal's body; null for forms we do not decode (legacy octal). */
function unescapeString(body: string): string | null {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) return null;
    if (e in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[e];
    else if (e === '0' && !/\d/.test(body[i + 1] ?? '')) out += '\0';
    else if (/\d/.test(e)) return null;
    else if (e === 'x') {
      const hex = body.slice(i + 1, i + 3);
      if (!/^[\da-fA-F]{2}$/.test(hex)) return null;
      out += String.fromCharCode(parseInt(hex, 16));
      i += 2;
    } else if (e === 'u') {
      const braced = /^\{([\da-fA-F]{1,6})\}/.exec(body.slice(i + 1));
      const hex = braced ? braced[1]! : body.slice(i + 1, i + 5);
      if (!/^[\da-fA-F]+$/.test(hex) || (!braced && hex.length !== 4)) return null;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) return null;
      out += String.fromCodePoint(code);
      i += braced ? braced[0].length : 4;
    } else if (e === '\r') {
      if (body[i + 1] === '\n') i++; // line continuation
    } else if (e !== '\n' && e !== '\u2028' && e !== '\u2029') out += e;
  }
  return out;
}

/** `key: value` split for object-pattern properties, honouring `[computed]` keys. */
function splitColon(p: string): [string, string | undefined] {
  if (p.startsWith('[')) {
    const end = skipBalanced(p, 0, '[', ']');
    const after = p.slice(end).trim();
    return after.startsWith(':') ? [p.slice(0, end), after.slice(1)] : [p, undefined];
  }
  const parts = splitTopLevel(p, ':');
  return parts.length > 1 ? [parts[0]!, parts.slice(1).join(':')] : [p, undefined];
}

/** Parses a parameter-list string (`a, {b, c} = {}, ...rest`) into specs. */
export function parseParamList(list: string): ParamSpec[] | null {
  const clean = stripComments(list);
  if (!clean.trim()) return [];
  const specs: ParamSpec[] = [];
  const parts = splitTopLevel(clean, ',');
  if (parts.length > 0 && parts[parts.length - 1]!.trim() === '') parts.pop();
  for (const raw of parts) {
    let text = raw.trim();
    const rest = text.startsWith('...');
    if (rest) text = text.slice(3);
    const pattern = parsePattern(text);
    if (!pattern) return null;
    specs.push({ pattern, rest });
  }
  return specs;
}

/**
 * Parses the build-time form the transformer emits: one pattern string per parameter. The
 * current form carries no defaults; then, given the function, the defaults written in its own
 * source are carried over position by position where the two parameter lists have the same
 * shape (names may differ: the build names survive minification, the source's may not).
 */
export function parseParamStrings(params: readonly string[], fn?: Function): ParamSpec[] | null {
  const specs = parseParamList(params.join(','));
  if (!specs || !fn || params.some((p) => p.includes('='))) return specs;
  const source = paramsOf(fn);
  if (!source || source.length !== specs.length) return specs;
  return specs.map((spec, i) => ({ rest: spec.rest, pattern: withDefaultsFrom(spec.pattern, source[i]!.pattern) }));
}

/** `build` with the defaults of `source` where both patterns have the same structure. */
function withDefaultsFrom(build: ParamPattern, source: ParamPattern): ParamPattern {
  if (build.type !== source.type) return build;
  const out: ParamPattern = { ...build };
  if (source.default) out.default = source.default;
  if (out.type === 'object' && source.type === 'object' && out.props.length === source.props.length) {
    out.props = out.props.map((p, i) => ({ key: p.key, value: withDefaultsFrom(p.value, source.props[i]!.value) }));
  } else if (out.type === 'array' && source.type === 'array' && out.items.length === source.items.length) {
    out.items = out.items.map((item, i) => (item && source.items[i] ? withDefaultsFrom(item, source.items[i]!) : item));
  }
  return out;
}

/** Extracts the parameter list of a function from its source text. Null when not possible. */
export function paramListFromSource(source: string): string | null {
  let i = 0;
  let prev = '';
  const src = source;
  if (/^\s*class\b/.test(src)) {
    const m = /\bconstructor\s*\(/.exec(src);
    if (!m) return '';
    const open = m.index + m[0].length - 1;
    return src.slice(open + 1, skipBalanced(src, open, '(', ')') - 1);
  }
  while (i < src.length) {
    const lit = skipLiteral(src, i, prev);
    if (lit !== -1) {
      i = lit;
      continue;
    }
    const c = src[i]!;
    if (c === '[') {
      i = skipBalanced(src, i, '[', ']'); // computed method name
      prev = ']';
      continue;
    }
    if (c === '(') return src.slice(i + 1, skipBalanced(src, i, '(', ')') - 1);
    if (c === '=' && src[i + 1] === '>') {
      // paren-less arrow: the identifier right before `=>`
      const m = /([\p{ID_Start}$_][\p{ID_Continue}$]*)\s*$/u.exec(stripComments(src.slice(0, i)));
      return m ? m[1]! : null;
    }
    if (c === '{') return null; // body before any parameter list: not a function source we know
    if (!/\s/.test(c)) prev = c;
    i++;
  }
  return null;
}

const cache = new WeakMap<Function, ParamSpec[] | null>();

/** Parameter specs of `fn` from its source, cached per function. Null when unrecoverable. */
export function paramsOf(fn: Function): ParamSpec[] | null {
  let specs = cache.get(fn);
  if (specs !== undefined) return specs;
  specs = null;
  try {
    const source = Function.prototype.toString.call(fn);
    if (!source.includes('[native code]')) {
      const list = paramListFromSource(source);
      specs = list === null ? null : parseParamList(list);
    }
  } catch {
    specs = null;
  }
  cache.set(fn, specs);
  return specs;
}

// ---------- binding ----------

/**
 * `obj[key]` when that is a data property (own or inherited), else NOT_READ (its names are left
 * out). A getter is not run: the function runs it when it destructures, and running it twice
 * could change what it gets.
 */
function readData(obj: unknown, key: string): unknown {
  try {
    return dataProperty(obj, key);
  } catch {
    return NOT_READ;
  }
}

function bind(pattern: ParamPattern, value: unknown, out: Record<string, unknown>): void {
  if (value === NOT_READ) return;
  if (value === undefined && pattern.default) {
    // The function used its default: record it if it is a known literal, else record nothing.
    if (!pattern.default.known) return;
    value = pattern.default.value();
  }
  switch (pattern.type) {
    case 'id':
      out[pattern.name] = value;
      return;
    case 'object': {
      const obj: unknown = value ?? {};
      const used = new Set<string>();
      for (const { key, value: sub } of pattern.props) {
        // computed key: the bound names exist but which property they come from is unknown
        if (key === null) bind(sub, NOT_READ, out);
        else {
          used.add(key);
          bind(sub, readData(obj, key), out);
        }
      }
      if (pattern.rest !== undefined) {
        const rest: Record<string, unknown> = {};
        if (value !== null && typeof value === 'object') {
          for (const k of Object.keys(value)) {
            const v = used.has(k) ? NOT_READ : readData(value, k);
            if (v !== NOT_READ) rest[k] = v;
          }
        }
        out[pattern.rest] = rest;
      }
      return;
    }
    case 'array': {
      // Only a real array is read. Any other iterable (a generator, a Set, a lazy sequence) is
      // left out: reading it would pull items the function is about to take itself — a
      // one-shot iterator would reach the function drained, an infinite one would never end.
      if (!Array.isArray(value)) return;
      const arr = value;
      pattern.items.forEach((item, i) => {
        if (item) bind(item, arr[i], out);
      });
      if (pattern.rest) bind(pattern.rest, arr.slice(pattern.items.length), out);
      return;
    }
  }
}

/**
 * The parameter names when every parameter is a plain, distinct identifier without a default
 * (the common case): the inputs are then exactly `{ [names[i]]: args[i] }`, recorded straight
 * from the arguments (see {@link NamedArguments}) instead of through an object built per call.
 */
export function plainParamNames(specs: readonly ParamSpec[] | null): PlainParamNames | undefined {
  if (!specs) return undefined;
  const names: string[] = [];
  for (const spec of specs) {
    const pattern = spec.pattern;
    // `__proto__` as a key of a built object would set its prototype instead: the slow path
    // keeps whatever that records.
    if (spec.rest || pattern.type !== 'id' || pattern.default || pattern.name === '__proto__' || names.includes(pattern.name)) return undefined;
    names.push(pattern.name);
  }
  return Object.assign(names, { keyTexts: names.map((name) => `${jsonStringify(name)}:`) });
}

/**
 * Arguments keyed by parameter name. Without specs (native/bound/unparseable functions),
 * or with more arguments than parameters, extra values land under `args`. With
 * {@link plainParamNames}' names and no extra argument, the result is a {@link NamedArguments}
 * over `args` (which must not change afterwards), recorded as the object built otherwise.
 */
export function bindArguments(specs: readonly ParamSpec[] | null, args: ArrayLike<unknown>, plainNames?: PlainParamNames): Record<string, unknown> | NamedArguments {
  if (plainNames !== undefined && args.length <= plainNames.length) return new NamedArguments(plainNames, args);
  const out: Record<string, unknown> = {};
  if (!specs) {
    if (args.length > 0) out.args = Array.from(args);
    return out;
  }
  let i = 0;
  for (const spec of specs) {
    if (spec.rest) {
      bind(spec.pattern, Array.prototype.slice.call(args, i), out);
      i = args.length;
      break;
    }
    bind(spec.pattern, args[i], out);
    i++;
  }
  if (i < args.length && !('args' in out)) out.args = Array.prototype.slice.call(args, i);
  return out;
}
