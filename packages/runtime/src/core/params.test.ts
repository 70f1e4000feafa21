import { describe, expect, test } from 'vitest';
import { bindArguments, paramListFromSource, paramsOf, parseParamList, parseParamStrings } from './params.js';

/** Inputs recorded for `fn(...args)` via the runtime fallback (function source). */
const inputs = (fn: Function, ...args: unknown[]) => bindArguments(paramsOf(fn), args);

describe('paramListFromSource', () => {
  test.each([
    ['function f(a, b) {}', 'a, b'],
    ['async function f(a) {}', 'a'],
    ['function* g(a, b) {}', 'a, b'],
    ['async function* g(x) {}', 'x'],
    ['(a, b) => a + b', 'a, b'],
    ['a => a', 'a'],
    ['async a => a', 'a'],
    ['async (a, b) => a', 'a, b'],
    ['method(a, b) { return a }', 'a, b'],
    ['async *gen(a) {}', 'a'],
    ['[Symbol.iterator](a) {}', 'a'],
    ["['x(y)'](a) {}", 'a'],
    ['#priv(a) {}', 'a'],
    ['class A { constructor(a, b) {} }', 'a, b'],
    ['class A { m() {} }', ''],
    ['function /* (fake) */ f(a) {}', 'a'],
  ])('%s', (source, expected) => {
    expect(paramListFromSource(source)).toBe(expected);
  });
});

describe('parameter names from function source', () => {
  test('defaults containing commas, parens, strings, templates and regexes', () => {
    function f(a = g(1, 2), b = ')', c = `x,${h(')')}`, d = /,\)/g, e = { k: [1, 2] }) {
      return [a, b, c, d, e];
    }
    function g(..._: unknown[]) {
      return 0;
    }
    function h(s: string) {
      return s;
    }
    expect(Object.keys(inputs(f, 1, 2, 3, 4, 5))).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test('destructured object and array parameters bind their names', () => {
    const f = ({ a, b = 2, c: { d } }: { a: number; b?: number; c: { d: number } }, [x, , y]: number[]) => [a, b, d, x, y];
    expect(inputs(f, { a: 1, c: { d: 4 } }, [7, 8, 9])).toEqual({ a: 1, b: undefined, d: 4, x: 7, y: 9 });
  });

  test('object rest, array rest and rest parameters', () => {
    const f = ({ a, ...others }: Record<string, number>, [h, ...t]: number[], ...more: string[]) => [a, others, h, t, more];
    expect(inputs(f, { a: 1, b: 2, c: 3 }, [1, 2, 3], 'x', 'y')).toEqual({ a: 1, others: { b: 2, c: 3 }, h: 1, t: [2, 3], more: ['x', 'y'] });
  });

  test('comments inside the parameter list', () => {
    // prettier-ignore
    function f(/* first */ a /* , fake */, // b, c
      b) { return [a, b]; }
    expect(inputs(f, 1, 2)).toEqual({ a: 1, b: 2 });
  });

  test('paren-less arrow, async arrow, generator, async generator, methods', () => {
    const one = (q: string) => q;
    const asyncArrow = async (q: string, k: number) => [q, k];
    function* gen(n: number) {
      yield n;
    }
    async function* agen(m: number) {
      yield m;
    }
    const obj = {
      method(x: number, y: number) {
        return x + y;
      },
      async am(z: number) {
        return z;
      },
    };
    expect(inputs(one, 'a')).toEqual({ q: 'a' });
    expect(inputs(asyncArrow, 'a', 1)).toEqual({ q: 'a', k: 1 });
    expect(inputs(gen, 3)).toEqual({ n: 3 });
    expect(inputs(agen, 4)).toEqual({ m: 4 });
    expect(inputs(obj.method, 1, 2)).toEqual({ x: 1, y: 2 });
    expect(inputs(obj.am, 5)).toEqual({ z: 5 });
  });

  test('unrecoverable names fall back to positional args, never throw', () => {
    expect(inputs(Math.max, 1, 2)).toEqual({ args: [1, 2] });
    const bound = function (this: unknown, a: number) {
      return a;
    }.bind(null);
    expect(inputs(bound, 1)).toEqual({ args: [1] });
    const weird = new Proxy(() => 0, {});
    expect(() => inputs(weird, 1)).not.toThrow();
  });

  test('extra arguments beyond the declared parameters land under args', () => {
    const f = (a: number) => a;
    expect(inputs(f, 1, 2, 3)).toEqual({ a: 1, args: [2, 3] });
  });

  test('no parameters and no arguments records nothing', () => {
    expect(inputs(() => 1)).toEqual({});
  });
});

describe('build-time patterns (what the transformer passes)', () => {
  test('identifiers, patterns with defaults, rest', () => {
    const specs = parseParamStrings(['query', '{ k = 3, filters: { lang } }', '...rest']);
    expect(bindArguments(specs, ['q', { k: 5, filters: { lang: 'en' } }, 1, 2])).toEqual({ query: 'q', k: 5, lang: 'en', rest: [1, 2] });
  });
  test('unparseable pattern text is reported as null, not thrown', () => {
    expect(parseParamList('a b')).toBeNull();
    expect(parseParamStrings(['{ a: }'])).toBeNull();
  });
});
