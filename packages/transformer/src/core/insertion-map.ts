/**
 * Source map of an insert-only edit whose inserted texts have no line breaks (the text
 * emitter's output): every original line stays on its line, shifted right by what was inserted
 * before each position. Written directly as VLQ, it costs a fraction of magic-string's generic
 * per-character `generateMap`, which was as expensive as parsing the file.
 *
 * Segments sit where a stack frame or a debugger can point: the start of each line, of each
 * word and each punctuation character (magic-string's `hires: 'boundary'` plus nothing inside
 * whitespace).
 */
import { SourceMap } from 'magic-string';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = Uint8Array.from(B64, (c) => c.charCodeAt(0));
const COMMA = 44;
const SEMICOLON = 59;

/** Base64 VLQ into a growing byte buffer (the mappings are ASCII). */
class Writer {
  buf = new Uint8Array(1024);
  length = 0;
  byte(b: number): void {
    if (this.length === this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.length++] = b;
  }
  vlq(value: number): void {
    let v = value < 0 ? (-value << 1) | 1 : value << 1;
    do {
      let digit = v & 31;
      v >>>= 5;
      if (v > 0) digit |= 32;
      this.byte(DIGIT[digit]!);
    } while (v > 0);
  }
  text(): string {
    return Buffer.from(this.buf.buffer, 0, this.length).toString('latin1');
  }
}

const SPACE = 0;
const WORD = 1;
const OTHER = 2;

function classOf(code: number): number {
  if (code === 32 || code === 9 || code === 13 || code === 11 || code === 12 || code === 0xfeff) return SPACE;
  if ((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36 || code > 127) return WORD;
  return OTHER;
}

/**
 * @param inserts offset and length of every insertion, in any order; text inserted at offset i
 *   appears before original character i.
 */
export function insertionMap(original: string, fileName: string, inserts: ReadonlyArray<readonly [offset: number, length: number]>): SourceMap {
  const sorted = [...inserts].sort((a, b) => a[0] - b[0]);
  const out = new Writer();
  let lineNo = 0;
  let column = 0;
  let shift = 0; // inserted characters before the current position, on this line
  let next = 0; // next insertion in `sorted`
  let first = true; // no segment yet on this generated line
  let prevGenerated = 0;
  let prevLine = 0;
  let prevColumn = 0;
  let previous = SPACE;
  const n = original.length;
  for (let i = 0; i < n; i++) {
    while (next < sorted.length && sorted[next]![0] <= i) shift += sorted[next++]![1];
    const code = original.charCodeAt(i);
    if (code === 10) {
      // Insertions at the line break end this line; the next line starts unshifted.
      out.byte(SEMICOLON);
      lineNo++;
      column = 0;
      shift = 0;
      prevGenerated = 0;
      first = true;
      previous = SPACE;
      continue;
    }
    const kind = classOf(code);
    if (column === 0 || kind === OTHER || (kind === WORD && previous !== WORD)) {
      const generated = column + shift;
      if (!first) out.byte(COMMA);
      first = false;
      out.vlq(generated - prevGenerated);
      out.byte(DIGIT[0]!); // source 0
      out.vlq(lineNo - prevLine);
      out.vlq(column - prevColumn);
      prevGenerated = generated;
      prevLine = lineNo;
      prevColumn = column;
    }
    previous = kind;
    column++;
  }
  // magic-string's SourceMap (toString/toUrl), built without its constructor (which would
  // encode again), with the fields its generateMap({ source }) sets: no `file`, `/` separators.
  const map = Object.create(SourceMap.prototype) as SourceMap;
  return Object.assign(map, { version: 3, file: undefined, sources: [fileName.split(/[/\\]/).join('/')], sourcesContent: [original], names: [], mappings: out.text() });
}
