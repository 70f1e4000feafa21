/**
 * Issue 12 item 11 from the outside: an omitted argument with a default is recorded as the
 * value the function used when that default is a literal, and left out otherwise — under
 * trace(), @Trace from the method source, and @Trace with the transformer's build-time names.
 * The recorded inputs are read back as MLflow stores them (the JSON-encoded attribute).
 */
import { expect, test } from 'vitest';
import { importCompiled } from '../core/__tests__/compile.js';
import { useMemoryDestination } from '../core/__tests__/memory.js';
import { SpanAttributeKey } from '../model/constants.js';
import { trace } from './trace.js';

const memory = useMemoryDestination();
const recordedInputs = () => memory.traces.map((t) => t.data.spans[0]!.encodedAttributes[SpanAttributeKey.INPUTS]);

test('trace(): literal defaults recorded, computed defaults left out and never evaluated', () => {
  let evaluated = 0;
  const pick = () => ++evaluated;
  const search = trace(function search(query: string, k = 3, opts = { exact: pick() }) {
    return [query, k, opts];
  });
  search('x');
  search('x', 5, { exact: 1 });
  expect(recordedInputs()).toEqual(['{"query":"x","k":3}', '{"query":"x","k":5,"opts":{"exact":1}}']);
  expect(evaluated).toBe(1); // only the program's own call evaluated the default
});

const SOURCE = `
import { Trace } from '@tracewright/runtime';
export class Search {
  @Trace()
  fromSource(query: string, k = 3, lang = 'en') {
    return query + k + lang;
  }
  @Trace('RETRIEVER', { params: ['q', 'k = 3', "{ lang = 'en', n = ? } = {}"] })
  fromBuild(query: string, k = 3, { lang = 'en', n = Date.now() }: { lang?: string; n?: number } = {}) {
    return query + k + lang + n;
  }
  @Trace('RETRIEVER', { params: ['q', 'k'] })
  oldBuildFormat(query: string, k = 3) {
    return query + k;
  }
  @Trace('RETRIEVER', { params: ['q', '{ a }'] })
  mismatched(query: string, k = 3) {
    return query + k;
  }
}
`;

test.each([
  ['TC39 decorators', {}],
  ['experimentalDecorators', { experimentalDecorators: true }],
])('@Trace (%s): defaults from the source and from build-time names', async (_label, options) => {
  const { Search } = await importCompiled(SOURCE, options);
  const s = new Search();
  s.fromSource('x');
  s.fromBuild('x');
  s.fromBuild('x', 4, { n: 1 });
  s.oldBuildFormat('x');
  s.mismatched('x');
  expect(recordedInputs()).toEqual([
    '{"query":"x","k":3,"lang":"en"}',
    '{"q":"x","k":3,"lang":"en"}',
    '{"q":"x","k":4,"lang":"en","n":1}',
    // The current build format carries no defaults: they come from the method's own source,
    // matched by position, the names still from the build.
    '{"q":"x","k":3}',
    // shapes differ (identifier in the source, pattern in the build): no default is carried
    '{"q":"x","a":null}',
  ]);
});

test('trace(): recording inputs never pulls from an iterable the function destructures', () => {
  function* oneShot() {
    yield 1;
    yield 2;
    yield 3;
  }
  const firstTwo = ([a, b]: Iterable<number>) => a + b;
  expect(trace(firstTwo)(oneShot())).toBe(firstTwo(oneShot()));
  // the items are the function's; the pattern's names are left out of the inputs
  expect(recordedInputs()).toEqual(['{}']);
});

test('trace(): recording inputs never runs a getter of a destructured argument', () => {
  const ticket = () => {
    let n = 0;
    return {
      get next() {
        return ++n;
      },
    };
  };
  const take = ({ next }: { next: number }) => next;
  expect(trace(take)(ticket())).toBe(take(ticket()));
  expect(recordedInputs()).toEqual(['{}']);
});
