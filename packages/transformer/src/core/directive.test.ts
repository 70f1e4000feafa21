import { describe, expect, it } from 'vitest';
import { mayContainDirectives, parseDirective } from './directive.js';

describe('parseDirective', () => {
  it.each([
    ['// @trace', undefined],
    ['//@trace', undefined],
    ['// @trace(TOOL)', 'TOOL'],
    ['// @trace (TOOL)', 'TOOL'],
    ['// @trace({ name: `p_${x.id}`, attributes: { k: ")" } })', '{ name: `p_${x.id}`, attributes: { k: ")" } }'],
    ['// @trace describes the next loop', undefined],
    ['/** @trace(LLM) */', 'LLM'],
    ['/**\n * Docs.\n * @trace\n */', undefined],
  ])('%s is a directive with args %s', (comment, args) => {
    const d = parseDirective(comment, 10);
    expect(d).toBeDefined();
    expect(d!.args).toBe(args);
    expect(d!.error).toBeUndefined();
    expect(comment.slice(d!.at - 10, d!.at - 10 + 6)).toBe('@trace');
  });

  it.each(['// @tracer', '// @trace-x', '// @traced(TOOL)', '/* @trace */', '// see @trace', '/** see the @trace tag */'])('%s is not a directive', (comment) => {
    expect(parseDirective(comment, 0)).toBeUndefined();
  });

  it('reports unbalanced arguments and trailing text', () => {
    expect(parseDirective('// @trace({ name: "x"', 0)!.error).toMatch(/unbalanced/);
    expect(parseDirective('// @trace(TOOL) please', 0)!.error).toMatch(/unexpected text after/);
  });

  it('locates the argument text', () => {
    const comment = '// @trace  (TOOL)';
    const d = parseDirective(comment, 100)!;
    expect(comment.slice(d.argsPos - 100, d.argsPos - 100 + 4)).toBe('TOOL');
  });
});

describe('mayContainDirectives', () => {
  it('is a cheap text test for @trace / @Trace', () => {
    expect(mayContainDirectives('const x = 1;')).toBe(false);
    expect(mayContainDirectives('// @trace\nfunction f() {}')).toBe(true);
    expect(mayContainDirectives('@Trace() m() {}')).toBe(true);
  });
});
