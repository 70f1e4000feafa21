import MagicString from 'magic-string';
import { SourceMap } from 'node:module';
import { describe, expect, it } from 'vitest';
import { insertionMap } from './insertion-map.js';

/** Applies the insertions with magic-string (the text emitter's tool) and maps the result. */
function insert(original: string, inserts: Array<[number, string]>) {
  const s = new MagicString(original);
  for (const [at, text] of inserts) s.appendRight(at, text);
  return { code: s.toString(), map: insertionMap(original, 'dir\\src/file.ts', inserts.map(([at, text]) => [at, text.length])) };
}

describe('insertionMap', () => {
  const original = 'const a = 1;\r\nfunction f(x) { return g(x) + $y; }\n\n  if (a) { throw new Error(`boom ${a}`); }\nlast';
  const inserts: Array<[number, string]> = [
    [0, 'import x from "y"; '],
    [original.indexOf('{'), '<<open>>'],
    [original.indexOf('return'), ' inner '],
    [original.indexOf('\n\n'), ' end-of-line '],
    [original.indexOf('throw'), '[t]'],
    [original.length, ' tail'],
  ];
  const { code, map } = insert(original, inserts);
  const originalLines = original.split('\n');
  const lookup = new SourceMap(JSON.parse(map.toString()));
  /** Generated column of original (line, column): the column plus what was inserted before it on its line. */
  const lineStart = (l: number) => originalLines.slice(0, l).reduce((n, line) => n + line.length + 1, 0);
  const generatedColumn = (l: number, c: number) => c + inserts.filter(([at]) => at >= lineStart(l) && at <= lineStart(l) + c).reduce((n, [, text]) => n + text.length, 0);

  it('keeps every line on its line', () => {
    expect(code.split('\n')).toHaveLength(originalLines.length);
  });

  it('maps every line start, word start and punctuation character exactly', () => {
    originalLines.forEach((line, l) => {
      const expected = [...line.matchAll(/(?<![\w$])[\w$]|[^\s\w$]/g)].map((m) => m.index!);
      if (line.length > 0) expected.push(0);
      for (const c of expected) {
        const g = generatedColumn(l, c);
        expect(code.split('\n')[l]![g], `line ${l} column ${c}`).toBe(line[c]);
        expect(lookup.findEntry(l, g), `line ${l} column ${c}`).toMatchObject({ originalSource: 'dir/src/file.ts', originalLine: l, originalColumn: c });
      }
    });
  });

  it('is a magic-string SourceMap naming the source as generateMap({ source }) does', () => {
    const json = JSON.parse(map.toString());
    expect(json).toEqual({ version: 3, sources: ['dir/src/file.ts'], sourcesContent: [original], names: [], mappings: map.mappings });
    expect(map.toUrl()).toMatch(/^data:application\/json;charset=utf-8;base64,/);
  });
});
