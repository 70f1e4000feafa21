import { describe, expect, test } from 'vitest';
import { importCompiled } from '../core/__tests__/compile.js';
import { useMemoryDestination } from '../core/__tests__/memory.js';

const memory = useMemoryDestination();

const CLASS_SOURCE = `
import { Trace, SpanType } from '@tracewright/runtime';
export class Retriever {
  prefix = 'doc';
  @Trace(SpanType.RETRIEVER)
  search(query: string, { k = 2, lang }: { k?: number; lang?: string } = {}) {
    return Array.from({ length: k }, (_, i) => this.prefix + i + ':' + query + (lang ?? ''));
  }
  @Trace({ name: 'static_helper', spanType: 'TOOL', attributes: { kind: 'static' } })
  static helper(a: number, ...rest: number[]) {
    return a + rest.length;
  }
  @Trace()
  async fetchAsync(id: string) {
    await new Promise((r) => setTimeout(r, 1));
    return { id };
  }
  @Trace()
  get value() {
    return 42;
  }
  @Trace(SpanType.TOOL, { params: ['renamedByBuild'] })
  minified(x: number) {
    return x + 1;
  }
  run(q: string) {
    return this.#secret(q);
  }
  @Trace()
  #secret(q: string) {
    return q.length;
  }
}
`;

const LEGACY_SOURCE = CLASS_SOURCE.replace(
  /  run\(q: string\) \{\n    return this.#secret\(q\);\n  \}\n  @Trace\(\)\n  #secret\(q: string\) \{\n    return q.length;\n  \}\n/,
  '',
);

describe.each([
  ['TC39 standard decorators', CLASS_SOURCE, {}],
  ['experimentalDecorators', LEGACY_SOURCE, { experimentalDecorators: true }],
])('@Trace with %s', (_label, source, options) => {
  test('instance, static and async methods are traced with this, name and length kept', async () => {
    const { Retriever } = await importCompiled(source, options);
    const r = new Retriever();
    expect(r.search('q')).toEqual(['doc0:q', 'doc1:q']);
    expect(r.search('q', { k: 1, lang: 'en' })).toEqual(['doc0:qen']);
    expect(Retriever.helper(1, 2, 3)).toBe(3);
    expect(await r.fetchAsync('x')).toEqual({ id: 'x' });
    expect(Retriever.prototype.search.name).toBe('search');
    expect(Retriever.prototype.search.length).toBe(1);
    expect(Retriever.helper.length).toBe(1);

    const spans = memory.traces.map((t) => t.data.spans[0]!);
    expect(spans.map((s) => [s.name, s.spanType])).toEqual([
      ['search', 'RETRIEVER'],
      ['search', 'RETRIEVER'],
      ['static_helper', 'TOOL'],
      ['fetchAsync', 'UNKNOWN'],
    ]);
    // An omitted argument records the literal default the method used (`= {}`, then `k = 2`);
    // lang has no default, so the method really received undefined (JSON null).
    expect(spans[0]!.inputs).toEqual({ query: 'q', k: 2, lang: null });
    expect(spans[1]!.inputs).toEqual({ query: 'q', k: 1, lang: 'en' });
    expect(spans[2]!.inputs).toEqual({ a: 1, rest: [2, 3] });
    expect(spans[2]!.getAttribute('kind')).toBe('static');
    expect(spans[3]!.outputs).toEqual({ id: 'x' });
  });

  test('getters are not wrapped by accident', async () => {
    const { Retriever } = await importCompiled(source, options);
    expect(new Retriever().value).toBe(42);
    expect(memory.traces).toHaveLength(0);
  });

  test('build-time parameter names (the transformer hook) win over the source', async () => {
    const { Retriever } = await importCompiled(source, options);
    new Retriever().minified(1);
    expect(memory.traces[0]!.data.spans[0]!.inputs).toEqual({ renamedByBuild: 1 });
  });
});

test('#private methods are traced under standard decorators', async () => {
  const { Retriever } = await importCompiled(CLASS_SOURCE);
  expect(new Retriever().run('abc')).toBe(3);
  expect(memory.traces[0]!.data.spans[0]!.name).toBe('#secret');
});

test('bad decorator arguments are clear errors', async () => {
  const { Trace } = await import('./decorator.js');
  expect(() => Trace(7 as never)).toThrow('@Trace(options): expected a span type string or an options object');
  expect(() => Trace('TOOL', { params: [1] } as never)).toThrow('@Trace(options, build): build info must be { params?: string[] }');
});
