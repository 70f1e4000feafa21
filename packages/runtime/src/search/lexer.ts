/**
 * Tokenizer for filter strings and order_by elements. Mirrors how MLflow's sqlparse-based
 * parser sees the input: quoted strings without escape processing, backtick / double-quote
 * quoted identifier segments after a dot, case-insensitive keywords.
 */
import { FilterSyntaxError, type SearchInputKind } from './errors.js';

export type TokenKind = 'identifier' | 'string' | 'number' | 'operator' | 'keyword' | '(' | ')' | ',' | 'end';

/** One dot-separated piece of an identifier; `quoted` if written in backticks or double quotes. */
export interface IdentifierPart {
  readonly text: string;
  readonly quoted: boolean;
}

export interface Token {
  readonly kind: TokenKind;
  /** Exact source text. */
  readonly text: string;
  /** Strings: the text between the quotes, verbatim. Keywords: upper case. Others: `text`. */
  readonly value: string;
  readonly start: number;
  /** Identifiers only. */
  readonly parts?: readonly IdentifierPart[];
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'LIKE', 'ILIKE', 'RLIKE', 'IS', 'NULL']);
const OPERATORS = ['==', '!=', '<>', '<=', '>=', '=', '<', '>'];
const NUMBER = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
/** Identifier characters, plus '-' so that `tags.my-tag` lexes as one (invalid) identifier as in MLflow. */
const WORD = /[A-Za-z0-9_-]*/y;

function isWordStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}

export function tokenize(input: string, kind: SearchInputKind = 'filter'): Token[] {
  const tokens: Token[] = [];
  const invalid = (position: number, token: string): never => {
    throw new FilterSyntaxError(`Invalid clause(s) in filter string: '${token}'`, input, position, token, kind);
  };
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"') {
      const end = closingQuote(input, i);
      if (end < 0) invalid(start, input.slice(start));
      tokens.push({ kind: 'string', text: input.slice(start, end + 1), value: input.slice(start + 1, end), start });
      i = end + 1;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, text: c, value: c, start });
      i++;
    } else if (c === ';') {
      // sqlparse accepts one trailing ';'; anything after it is a second statement.
      if (input.slice(i + 1).trim() !== '') {
        throw new FilterSyntaxError(
          `Search filter contained multiple expression "${input}". Provide AND-ed expression list.`,
          input,
          start,
          ';',
          kind,
        );
      }
      break;
    } else if (isWordStart(c) || c === '`') {
      i = lexIdentifier(input, i, tokens, invalid);
    } else {
      NUMBER.lastIndex = i;
      const number = NUMBER.exec(input);
      if (number) {
        i += number[0].length;
        WORD.lastIndex = i;
        const trailing = WORD.exec(input)![0];
        if (trailing) invalid(start, number[0] + trailing);
        tokens.push({ kind: 'number', text: number[0], value: number[0], start });
        continue;
      }
      const op = OPERATORS.find((o) => input.startsWith(o, i));
      if (!op) invalid(start, c);
      tokens.push({ kind: 'operator', text: op!, value: op!, start });
      i += op!.length;
    }
  }
  tokens.push({ kind: 'end', text: '', value: '', start: input.length });
  return tokens;
}

/** Index of the quote closing the string opened at `open`; a doubled quote continues the string (SQL). */
function closingQuote(input: string, open: number): number {
  const q = input[open]!;
  let i = open + 1;
  for (;;) {
    const j = input.indexOf(q, i);
    if (j < 0) return -1;
    if (input[j + 1] !== q) return j;
    i = j + 2;
  }
}

function lexIdentifier(input: string, i: number, tokens: Token[], invalid: (p: number, t: string) => never): number {
  const start = i;
  const parts: IdentifierPart[] = [];
  for (;;) {
    const c = input[i];
    if (c === '`' || (c === '"' && parts.length > 0)) {
      const end = input.indexOf(c, i + 1);
      if (end < 0) invalid(i, input.slice(i));
      parts.push({ text: input.slice(i + 1, end), quoted: true });
      i = end + 1;
    } else {
      WORD.lastIndex = i;
      const word = WORD.exec(input)![0];
      parts.push({ text: word, quoted: false });
      i += word.length;
    }
    if (input[i] !== '.') break;
    i++;
  }
  const text = input.slice(start, i);
  const upper = text.toUpperCase();
  if (parts.length === 1 && !parts[0]!.quoted && KEYWORDS.has(upper)) {
    tokens.push({ kind: 'keyword', text, value: upper, start });
  } else {
    tokens.push({ kind: 'identifier', text, value: text, start, parts });
  }
  return i;
}
