import { describe, expect, it } from 'vitest';
import { DIRECTIVE_HINT, mayContainDirectives } from '../core/directive.js';
import { isCandidateFile } from './filter.js';
// @ts-expect-error -- plain .mjs shipped as-is with the loader (no declarations)
import { mayHoldDirectives, mayRewrite } from '../../loader/node-adapter.mjs';

// The Node loader repeats the adapters' pre-filters so that apps without directives never load
// TypeScript; these tables keep every copy deciding alike.
const FILES = [
  '/app/src/main.ts', '/app/src/a.tsx', '/app/src/b.mts', '/app/src/c.cts', '/app/src/d.js', '/app/src/e.mjs',
  '/app/src/f.cjs', '/app/src/g.jsx', '/app/src/h.json', '/app/src/i.d.ts', '/app/node_modules/x/index.ts',
  'C:\\app\\node_modules\\x\\index.js', '/app/src/readme.md', '/app/src/style.css',
];
const SOURCES = [
  '// @trace\nfunction f() {}', '/** @trace(LLM) */ const g = () => 1;', "import { Trace as T } from '@tracewright/runtime';",
  '@Trace() m() {}', 'const plain = 1;', '// @TRACE shouting', 'const s = "trace";', '',
];

describe('pre-filters agree everywhere', () => {
  it.each(FILES)('file %s', (file) => {
    expect(mayRewrite(file)).toBe(isCandidateFile(file));
  });
  it.each(SOURCES)('source %j', (source) => {
    const expected = mayContainDirectives(source);
    expect(DIRECTIVE_HINT.test(source)).toBe(expected);
    expect(mayHoldDirectives(source)).toBe(expected);
  });
});
