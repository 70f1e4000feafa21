import { describe, expect, it } from 'vitest';
import { makeVariant } from './variants.js';

const SOURCE = `import { x } from './x.js';
class Repo {
  //<traced>
  find(id: number) {
    return id;
  }
  //<traced>
  static make() {
    return new Repo();
  }
  other() {}
}
//<traced>
export function helper(a: number) {
  return a;
}
`;

describe('makeVariant', () => {
  it('untraced: markers emptied, nothing else changes', () => {
    expect(makeVariant(SOURCE, 'p.ts', 'untraced')).toBe(SOURCE.replace(/^ *\/\/<traced>$/gm, ''));
  });

  it('comment: a // @trace directive in place of each marker', () => {
    expect(makeVariant(SOURCE, 'p.ts', 'comment')).toBe(SOURCE.replaceAll('//<traced>', '// @trace'));
  });

  it('decorator: @Trace() on methods, trace() for function declarations', () => {
    const out = makeVariant(SOURCE, 'p.ts', 'decorator');
    expect(out.split('\n')[0]).toBe(`import { trace, Trace } from '@tracewright/runtime'; import { x } from './x.js';`);
    expect(out).toContain('  @Trace()\n  find(id: number) {');
    expect(out).toContain('  @Trace()\n  static make() {');
    expect(out).toMatch(/export function helper\(a: number\) \{\n {2}return a;\n\}\n\/\/ @ts-ignore[^\n]*\nhelper = trace\(helper\);\n$/);
    expect(out).not.toContain('prototype');
  });

  it('trace: re-assigns each marked method and function through trace()', () => {
    const out = makeVariant(SOURCE, 'p.ts', 'trace');
    expect(out.split('\n')[0]).toBe(`import { trace } from '@tracewright/runtime'; import { x } from './x.js';`);
    expect(out).toContain('} Repo.prototype.find = trace(Repo.prototype.find); Repo.make = trace(Repo.make);\n');
    expect(out).toContain('helper = trace(helper);');
    expect(out).not.toContain('@Trace');
  });

  it('rejects a marker that attaches to nothing, with file:line', () => {
    expect(() => makeVariant('const a = 1;\n//<traced>\n\nfunction f() {}\n', 'p.ts', 'trace')).toThrow('p.ts:2: //<traced> must be directly above');
    expect(() => makeVariant('function f() {}\n', 'p.ts', 'trace')).toThrow('no //<traced> marker');
  });
});
