import { describe, expect, test } from 'vitest';
import { bindArguments, literalDefault, NamedArguments, paramListFromSource, paramsOf, parseParamList, parseParamStrings, plainParamNames } from './params.js';
import { serialize } from './serialize.js';

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
    expect(inputs(f, { a: 1, c: { d: 4 } }, [7, 8, 9])).toEqual({ a: 1, b: 2, d: 4, x: 7, y: 9 });
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

describe('omitted arguments with defaults (issue 12 item 11)', () => {
  test('a literal default is recorded as the value the function used, never null', () => {
    function search(query: string, k = 3, lang = 'en', strict = false, floor = -1.5, hex = 0x1_0, none = null, u = undefined) {
      return [query, k, lang, strict, floor, hex, none, u];
    }
    expect(inputs(search, 'x')).toEqual({ query: 'x', k: 3, lang: 'en', strict: false, floor: -1.5, hex: 16, none: null, u: undefined });
    // explicitly passing undefined also selects the default; other values are recorded as given
    expect(inputs(search, 'x', undefined, 'fr', null)).toMatchObject({ k: 3, lang: 'fr', strict: null });
  });

  test('string defaults with escapes, quotes, commas and templates decode exactly', () => {
    // prettier-ignore
    function f(a = 'it\'s, ok', b = "tab\there \u00e9 \x41 \u{1F600}", c = `plain, (template)`) {
      return [a, b, c];
    }
    expect(inputs(f)).toEqual({ a: "it's, ok", b: 'tab\there \u00e9 A \u{1F600}', c: 'plain, (template)' });
  });

  test('a non-literal default is never evaluated: its names are left out', () => {
    let calls = 0;
    const compute = () => ++calls;
    const now = 5;
    function f(a: number, b = compute(), c = now, d = `t${now}`, e = -now, { x = compute(), y = 1 } = {}) {
      return [a, b, c, d, e, x, y];
    }
    const recorded = inputs(f, 1);
    expect(recorded).toEqual({ a: 1, y: 1 });
    expect(Object.keys(recorded)).not.toContain('b');
    expect(calls).toBe(0);
    // given values are recorded whatever the default
    expect(inputs(f, 1, 2, 3, 'd', 4, { x: 9 })).toEqual({ a: 1, b: 2, c: 3, d: 'd', e: 4, x: 9, y: 1 });
  });

  test('destructured parameter with an empty-literal default binds its inner defaults', () => {
    const f = ({ k = 2, lang }: { k?: number; lang?: string } = {}, [first = 'a', second]: string[] = []) => [k, lang, first, second];
    expect(inputs(f)).toEqual({ k: 2, lang: undefined, first: 'a', second: undefined });
    const g = ({ k = 2 }: { k?: number } = makeOpts()) => k;
    function makeOpts() {
      return { k: 7 };
    }
    expect(inputs(g)).toEqual({});
    expect(inputs(g, {})).toEqual({ k: 2 });
  });

  test('literalDefault accepts only effect-free literals', () => {
    const value = (t: string) => {
      const d = literalDefault(t);
      return d.known ? d.value() : 'UNKNOWN';
    };
    expect(['1', '-2', '- 3', '1_000', '0b101', '0o17', '.5', '1e3', '0xff', "'s'", '"d"', '`t`', 'true', 'null', 'void 0', '{}', '[ ]'].map(value)).toEqual([
      1, -2, -3, 1000, 5, 15, 0.5, 1000, 255, 's', 'd', 't', true, null, undefined, {}, [],
    ]);
    for (const t of ['x', 'f()', '`${x}`', '{ a: 1 }', '[1]', 'new Date()', '017', '"\\1"', '1 + 1', 'NaN', '-x', '?', '10n']) expect(value(t)).toBe('UNKNOWN');
    const fresh = literalDefault('{}');
    expect(fresh.known && fresh.value()).not.toBe(fresh.known && fresh.value());
  });
});

test('array patterns never iterate a non-array iterable (the function would get it drained)', () => {
  let pulled = 0;
  function* naturals() {
    for (let i = 0; ; i++) {
      pulled++;
      yield i;
    }
  }
  const f = ([a, b]: Iterable<number>, c: number) => [a, b, c];
  expect(inputs(f, naturals(), 7)).toEqual({ c: 7 });
  expect(pulled).toBe(0);
  expect(inputs(f, [1, 2, 3], 7)).toEqual({ a: 1, b: 2, c: 7 });
});

test('object patterns never run a getter of the argument (the function runs it itself)', () => {
  let reads = 0;
  const arg = {
    plain: 1,
    get counted() {
      return ++reads;
    },
  };
  const f = ({ plain, counted, missing = 4, ...others }: { plain: number; counted: number; missing?: number; [k: string]: unknown }) => [plain, counted, missing, others];
  expect(inputs(f, arg)).toEqual({ plain: 1, missing: 4, others: {} });
  expect(inputs(f, Object.assign(Object.create({ plain: 'inherited' }), { extra: true }))).toEqual({ plain: 'inherited', counted: undefined, missing: 4, others: { extra: true } });
  expect(reads).toBe(0);
  const g = ({ [String('k')]: computed = 1 }: Record<string, number>) => computed;
  expect(inputs(g, { k: 5 })).toEqual({});
});

describe('build-time patterns (what the transformer passes)', () => {
  test('extended form: literal defaults and `?` for non-literal ones', () => {
    const specs = parseParamStrings(['query', 'k = 3', "{ lang = 'en', n = ? } = {}", 'limit = ?', '...rest']);
    expect(bindArguments(specs, ['q'])).toEqual({ query: 'q', k: 3, lang: 'en', rest: [] });
    expect(bindArguments(specs, ['q', 5, { n: 2 }, 9, 'r'])).toEqual({ query: 'q', k: 5, lang: 'en', n: 2, limit: 9, rest: ['r'] });
  });

  test('identifiers, patterns with defaults, rest', () => {
    const specs = parseParamStrings(['query', '{ k = 3, filters: { lang } }', '...rest']);
    expect(bindArguments(specs, ['q', { k: 5, filters: { lang: 'en' } }, 1, 2])).toEqual({ query: 'q', k: 5, lang: 'en', rest: [1, 2] });
  });
  test('unparseable pattern text is reported as null, not thrown', () => {
    expect(parseParamList('a b')).toBeNull();
    expect(parseParamStrings(['{ a: }'])).toBeNull();
  });
});

describe('plain parameter lists are recorded straight from the arguments', () => {
  const specsOf = (source: string) => parseParamStrings(source.split(',').map((s) => s.trim()).filter(Boolean));
  // What the general path builds, recorded; and what the direct path records.
  const general = (specs: ReturnType<typeof specsOf>, args: unknown[], maxChars = 100_000) => serialize(bindArguments(specs, args), { maxChars });
  const direct = (specs: ReturnType<typeof specsOf>, args: unknown[], maxChars = 100_000) =>
    serialize(bindArguments(specs, args, plainParamNames(specs)), { maxChars });

  test.each<[string, unknown[]]>([
    ['a, b', [1, 2]],
    ['a, b', [1]],
    ['a, b', []],
    ['a, b', [undefined, null]],
    ['a', [{ x: [1, { y: 'z' }] }]],
    ['query, k', ['x', 3]],
    ['ünïcode, $dollar, _under', ['é', '\u2028', '"quoted"']],
    ['a', [new Date(0)]],
    ['a', [new Map([['k', 1]])]],
  ])('(%s) called with %j', (params, args) => {
    const specs = specsOf(params);
    expect(plainParamNames(specs)).toBeDefined();
    expect(bindArguments(specs, args, plainParamNames(specs))).toBeInstanceOf(NamedArguments);
    expect(direct(specs, args)).toBe(general(specs, args));
  });

  test('truncation within the value limit is the same, keys longer than the limit included', () => {
    const specs = specsOf('aVeryLongParameterNameIndeed, b');
    for (const maxChars of [5, 12, 20, 40]) expect(direct(specs, ['x'.repeat(50), 2], maxChars)).toBe(general(specs, ['x'.repeat(50), 2], maxChars));
  });

  test('defaults, rest, patterns, duplicates and __proto__ take the general path', () => {
    for (const params of ['a, k = 3', '...rest', '{ a }', '[a]', 'a, a', '__proto__']) expect(plainParamNames(specsOf(params))).toBeUndefined();
    expect(plainParamNames(null)).toBeUndefined();
  });

  test('extra arguments go through the general path (recorded under args)', () => {
    const specs = specsOf('a');
    expect(bindArguments(specs, [1, 2], plainParamNames(specs))).toEqual({ a: 1, args: [2] });
  });
});
