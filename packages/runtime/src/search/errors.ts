/** Which search input an error is about; shown in the message ("Invalid filter at ..."). */
export type SearchInputKind = 'filter' | 'order_by' | 'page token' | 'max_results' | 'timeoutMs';

/**
 * A rejected search input: filter string, order_by element, page token or max_results.
 *
 * `reason` carries MLflow's wording (so messages read like the server's
 * `INVALID_PARAMETER_VALUE` errors); the message adds what MLflow leaves out: the offending
 * token, its 0-based position and a caret line under the input.
 */
export class FilterSyntaxError extends Error {
  override readonly name = 'FilterSyntaxError';
  /** MLflow's error code for every search validation failure (HTTP 400 over REST). */
  readonly errorCode = 'INVALID_PARAMETER_VALUE';
  /** The input that was rejected (the filter, or the one order_by element, token, number). */
  readonly filter: string;
  /** 0-based character index of the offending token in `filter` (its length at end of input). */
  readonly position: number;
  /** The offending token's source text; '' at end of input. */
  readonly token: string;
  /** The reason alone, without position and caret (MLflow's wording where MLflow has one). */
  readonly reason: string;
  readonly kind: SearchInputKind;

  constructor(reason: string, filter: string, position: number, token: string, kind: SearchInputKind = 'filter') {
    super(formatMessage(reason, filter, position, token, kind));
    this.filter = filter;
    this.position = position;
    this.token = token;
    this.reason = reason;
    this.kind = kind;
  }
}

function formatMessage(reason: string, input: string, position: number, token: string, kind: SearchInputKind): string {
  const near = token === '' ? 'at end of input' : `near '${token}'`;
  return `Invalid ${kind} at position ${position} ${near}: ${reason}\n${caretLines(input, position)}`;
}

/** Characters of a long line shown on each side of the caret. */
const CONTEXT = 80;

/**
 * The input line holding `position`, and a caret under it (multi-line filters show one line;
 * a very long line shows the neighbourhood of the position, so the message stays readable).
 */
function caretLines(input: string, position: number): string {
  let start = input.lastIndexOf('\n', position - 1) + 1;
  const newline = input.indexOf('\n', position);
  let end = newline === -1 ? input.length : newline;
  let head = '';
  let tail = '';
  if (position - start > CONTEXT) {
    start = position - CONTEXT;
    head = '…';
  }
  if (end - position > CONTEXT) {
    end = position + CONTEXT;
    tail = '…';
  }
  return `  ${head}${input.slice(start, end)}${tail}\n  ${' '.repeat(head.length + position - start)}^`;
}

/** Python's set repr with a stable order, as MLflow prints valid-value sets in its messages. */
export function pySet(values: Iterable<string>): string {
  return `{${[...values].sort().map((v) => `'${v}'`).join(', ')}}`;
}
