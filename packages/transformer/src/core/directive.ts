/**
 * `// @trace` directives: recognising them in comment text and splitting off the argument.
 *
 * The match is anchored (`@trace` followed by end, whitespace or `(`), so `// @tracer` and
 * `// @trace-x` are not directives, and a string that merely contains "@trace" is not one
 * either (only comment ranges are examined).
 */

export interface Directive {
  /** Offsets of the whole comment in the source text. */
  pos: number;
  end: number;
  /** Offset of the `@trace` token (for diagnostics). */
  at: number;
  /** The argument expression's source text (inside the parentheses), or undefined. */
  args: string | undefined;
  /** Offset of the argument text, for locating errors inside it. */
  argsPos: number;
  /** A problem with the directive's own syntax. */
  error?: string;
}

const LINE = /^\/\/[ \t]*@trace(?=$|[\s(])/;
const JSDOC_TAG = /(^|\n)[ \t]*\*?[ \t]*@trace(?=$|[\s(])/;

/**
 * Cheap text pre-filter: false means the file certainly has no directive. It also accepts
 * '@tracewright/runtime' on purpose: a file whose only trace is an aliased decorator
 * (`import { Trace as T }`, `@T()`) still needs the rewrite that adds parameter names.
 */
export function mayContainDirectives(code: string): boolean {
  return code.includes('@trace') || code.includes('@Trace');
}

/**
 * The same pre-filter as a RegExp, for hosts that need one (bundler hook filters, so a native
 * Rolldown side can skip the JS call; the Node loader). It accepts exactly the files
 * {@link mayContainDirectives} accepts; that function stays string-based because it is ~2x
 * faster on the no-directive fast path.
 */
export const DIRECTIVE_HINT = /@[Tt]race/;

/** Parses the comment `text` found at `pos`; undefined when it is not a directive. */
export function parseDirective(text: string, pos: number): Directive | undefined {
  let at: number;
  if (text.startsWith('//')) {
    const m = LINE.exec(text);
    if (!m) return undefined;
    at = m[0].length - '@trace'.length;
  } else if (text.startsWith('/**')) {
    const m = JSDOC_TAG.exec(text.slice(3, -2));
    if (!m) return undefined;
    at = 3 + m.index + m[0].length - '@trace'.length;
  } else {
    return undefined;
  }
  const directive: Directive = { pos, end: pos + text.length, at: pos + at, args: undefined, argsPos: pos + at + 6 };
  const after = at + 6;
  const lineEnd = text.indexOf('\n', after);
  const raw = text.slice(after, lineEnd === -1 ? (text.startsWith('/**') ? text.length - 2 : text.length) : lineEnd);
  const rest = raw.trimStart();
  if (!rest.startsWith('(')) return directive; // `// @trace` optionally followed by free text
  const close = matchingParen(rest);
  if (close === -1) {
    directive.error = 'unbalanced parentheses in // @trace(...) arguments';
    return directive;
  }
  directive.args = rest.slice(1, close);
  directive.argsPos = pos + after + (raw.length - rest.length) + 1;
  if (rest.slice(close + 1).trim() !== '') directive.error = `unexpected text after // @trace(...): "${rest.slice(close + 1).trim()}"`;
  else if (directive.args.trim() === '') directive.args = undefined;
  return directive;
}

/** Index of the `)` closing the `(` at 0, skipping strings and template literals. */
function matchingParen(s: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < s.length && s[i] !== c; i++) if (s[i] === '\\') i++;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return c === ')' ? i : -1;
    }
  }
  return -1;
}
