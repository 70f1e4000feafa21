import { describe, expect, test } from 'vitest';
import { useMemoryDestination, tree } from '../core/__tests__/memory.js';
import { disableTracing, enableTracing, setSamplingRatio } from './control.js';
import { trace, isTraced } from './trace.js';
import { Trace } from './decorator.js';
import { withSpan } from './spans.js';
import { getCurrentActiveSpan } from '../core/context.js';
import { SpanType } from '../model/constants.js';

const memory = useMemoryDestination();
const tick = () => new Promise((r) => setTimeout(r, 1));

describe('trace(fn)', () => {
  test('one span per call: inputs keyed by parameter name, output = return value', () => {
    const add = trace(function add(a: number, b: number) {
      return a + b;
    }, SpanType.TOOL);
    expect(add(2, 3)).toBe(5);
    expect(memory.traces).toHaveLength(1);
    const [span] = memory.traces[0]!.data.spans;
    expect(span!.name).toBe('add');
    expect(span!.spanType).toBe('TOOL');
    expect(span!.inputs).toEqual({ a: 2, b: 3 });
    expect(span!.outputs).toBe(5);
    expect(span!.status.statusCode).toBe('STATUS_CODE_OK');
    expect(span!.getAttribute('mlflow.spanFunctionName')).toBe('add');
    expect(span!.endTimeUnixNano! >= span!.startTimeUnixNano).toBe(true);
  });

  test('options: name, spanType, attributes', () => {
    const f = trace((q: string) => q.toUpperCase(), { name: 'shout', spanType: 'PARSER', attributes: { version: 2 } });
    f('x');
    const span = memory.traces[0]!.data.spans[0]!;
    expect([span.name, span.spanType, span.getAttribute('version')]).toEqual(['shout', 'PARSER', 2]);
  });

  test('keeps name, length, this, and the wrapped function is marked', () => {
    class Counter {
      n = 10;
      bump = trace(function bump(this: Counter, by: number, _unused?: string) {
        return (this.n += by);
      });
    }
    const c = new Counter();
    expect(c.bump(5)).toBe(15);
    expect(c.bump.name).toBe('bump');
    expect(c.bump.length).toBe(2);
    expect(isTraced(c.bump)).toBe(true);
  });

  test('toString() gives the original source, so parameters read from it are the same (DI containers)', () => {
    const paramsOf = (f: { toString(): string }) => /\(([^)]*)\)/.exec(f.toString())![1]!.split(',').map((p) => p.trim());
    function makeService(db: unknown, logger: unknown) {
      return { db, logger };
    }
    const traced = trace(makeService);
    expect(traced.toString()).toBe(makeService.toString());
    expect(paramsOf(traced)).toEqual(['db', 'logger']);
    expect(`${traced}`).toBe(`${makeService}`);
    class Repo {
      find(id: string, opts?: object) {
        return [id, opts];
      }
    }
    // @Trace() as experimentalDecorators applies it (this file is not compiled with decorators).
    const method = Object.getOwnPropertyDescriptor(Repo.prototype, 'find')!;
    Object.defineProperty(Repo.prototype, 'find', (Trace() as any)(Repo.prototype, 'find', method) ?? method);
    expect(isTraced(Repo.prototype.find)).toBe(true);
    expect(paramsOf(Repo.prototype.find)).toEqual(['id', 'opts']);
    expect(Object.keys(traced)).toEqual([]);
  });

  test("the function's own properties are the wrapper's (a debounced cancel(), a pipe's lazy marker, statics)", () => {
    let cancelled = 0;
    const lazyMap = Object.assign((data: number[]) => data.map((x) => x * 2), { lazy: () => 'lazy', cancel: () => ++cancelled });
    Object.defineProperty(lazyMap, 'hidden', { value: 7, enumerable: false });
    const traced = trace(lazyMap);
    expect('lazy' in traced && traced.lazy()).toBe('lazy');
    traced.cancel();
    expect(cancelled).toBe(1);
    expect(Object.getOwnPropertyDescriptor(traced, 'hidden')).toEqual({ value: 7, writable: false, enumerable: false, configurable: false });
    expect(Object.keys(traced)).toEqual(Object.keys(lazyMap));
    expect(traced([1, 2])).toEqual([2, 4]);
    // Only what the wrapper needs besides: toString (the source), and prototype (a function wrapper has one).
    expect(Reflect.ownKeys(traced).map(String).sort()).toEqual([...Reflect.ownKeys(lazyMap).map(String), 'prototype', 'toString'].sort());
  });

  test('a Proxy function whose ownKeys trap refuses is still wrapped and called', () => {
    const refusing = new Proxy(function double(x: number) {
      return x * 2;
    }, {
      ownKeys() {
        throw new Error('no keys');
      },
    });
    expect(trace(refusing)(21)).toBe(42);
  });

  test('an async function wrapped is still an AsyncFunction; a subclass still inherits its statics', () => {
    async function load() {
      return 1;
    }
    const traced = trace(load);
    const AsyncFunction = Object.getPrototypeOf(load).constructor;
    expect([Object.prototype.toString.call(traced), traced instanceof AsyncFunction, traced.constructor === AsyncFunction]).toEqual(['[object AsyncFunction]', true, true]);
    class Base {
      static kind() {
        return 'base';
      }
    }
    class Derived extends Base {}
    const TracedDerived = trace(Derived as unknown as () => Derived) as unknown as typeof Derived;
    expect([TracedDerived.kind(), Object.getPrototypeOf(TracedDerived) === Base]).toEqual(['base', true]);
    expect(isTraced(traced) && isTraced(TracedDerived) && !isTraced(load)).toBe(true);
  });

  test('new on the wrapper is new on the function, traced; a non-constructor still throws', () => {
    function Point(this: { x: number }, x: number) {
      this.x = x;
    }
    Point.prototype.norm = function (this: { x: number }) {
      return Math.abs(this.x);
    };
    const P = trace(Point) as unknown as new (x: number) => { x: number; norm(): number };
    const p = new P(-3);
    expect([p instanceof Point, p instanceof P, Object.getPrototypeOf(p) === Point.prototype, p.norm()]).toEqual([true, true, true, 3]);
    class Base {
      constructor(readonly v: number) {}
    }
    const TracedBase = trace(Base as unknown as (v: number) => Base) as unknown as typeof Base;
    class Sub extends TracedBase {
      constructor() {
        super(5);
      }
    }
    const s = new Sub();
    expect([s instanceof Sub, s instanceof Base, s.v]).toEqual([true, true, 5]);
    expect(memory.traces.map((t) => [t.data.spans[0]!.name, t.data.spans[0]!.inputs])).toEqual([
      ['Point', { x: -3 }],
      ['Base', { v: 5 }],
    ]);
    const arrow = trace(() => 1) as unknown as new () => unknown;
    expect(() => new arrow()).toThrow(TypeError);
    expect(memory.traces).toHaveLength(2);
  });

  test('nested calls form a tree under the active span', async () => {
    const retrieve = trace(async function retrieve(query: string) {
      await tick();
      return [`doc about ${query}`];
    }, SpanType.RETRIEVER);
    const generate = trace(function generate(docs: string[]) {
      return `answer from ${docs.length} docs`;
    }, SpanType.LLM);
    const rag = trace(async function rag(question: string) {
      const docs = await retrieve(question);
      return generate(docs);
    }, SpanType.CHAIN);
    await rag('mlflow');
    expect(tree(memory.traces[0]!)).toEqual({
      name: 'rag', type: 'CHAIN', status: 'OK', inputs: { question: 'mlflow' }, outputs: 'answer from 1 docs',
      children: [
        { name: 'retrieve', type: 'RETRIEVER', status: 'OK', inputs: { query: 'mlflow' }, outputs: ['doc about mlflow'], children: [] },
        { name: 'generate', type: 'LLM', status: 'OK', inputs: { docs: ['doc about mlflow'] }, outputs: 'answer from 1 docs', children: [] },
      ],
    });
  });

  test('sync exception: recorded, re-thrown as the same object with the same stack', () => {
    const original = new RangeError('out of range');
    const stack = original.stack;
    const f = trace(function explode() {
      throw original;
    });
    let caught: unknown;
    try {
      f();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(original);
    expect((caught as Error).stack).toBe(stack);
    const t = memory.traces[0]!;
    const span = t.data.spans[0]!;
    expect(span.status).toEqual({ statusCode: 'STATUS_CODE_ERROR', description: 'out of range' });
    expect(span.events[0]!.name).toBe('exception');
    expect(span.events[0]!.attributes['exception.type']).toBe('RangeError');
    expect(span.events[0]!.attributes['exception.message']).toBe('out of range');
    expect(String(span.events[0]!.attributes['exception.stacktrace'])).toContain('RangeError: out of range');
    expect(t.info.state).toBe('ERROR');
  });

  test('async rejection: same reason, span ERROR; a caught child error leaves the parent OK', async () => {
    const reason = new Error('nope');
    const child = trace(async function child() {
      await tick();
      throw reason;
    });
    const parent = trace(async function parent() {
      try {
        await child();
      } catch {
        return 'recovered';
      }
    });
    await expect(child()).rejects.toBe(reason);
    expect(await parent()).toBe('recovered');
    const t = memory.traces[1]!;
    expect(tree(t)).toMatchObject({ name: 'parent', status: 'OK', children: [{ name: 'child', status: 'ERROR' }] });
    expect(t.info.state).toBe('OK');
  });

  test("an async function's promise: constructor reads and writes answer as untraced, and leave it as untraced", async () => {
    const plain = async (n: number) => n;
    const traced = trace(plain);
    const p = traced(1);
    const untraced = plain(1);
    expect(p.constructor).toBe(untraced.constructor);
    expect(Object.getOwnPropertyNames(p)).toEqual(Object.getOwnPropertyNames(untraced));
    expect(Reflect.ownKeys(p)).toEqual(Reflect.ownKeys(untraced));
    const q = traced(2);
    const child = Object.create(q) as { constructor: unknown };
    expect(child.constructor).toBe(Promise);
    class MyPromise<T> extends Promise<T> {}
    q.constructor = MyPromise;
    const u = plain(2);
    u.constructor = MyPromise;
    expect(Object.getOwnPropertyDescriptor(q, 'constructor')).toEqual(Object.getOwnPropertyDescriptor(u, 'constructor'));
    expect(q.then(() => 0)).toBeInstanceOf(MyPromise);
    expect(await p).toBe(1);
    expect(await q).toBe(2);
  });

  test('non-Error throws are recorded too', () => {
    const f = trace(() => {
      throw 'plain string';
    });
    expect(() => f()).toThrow('plain string');
    expect(memory.traces[0]!.data.spans[0]!.status.description).toBe('plain string');
  });

  test('bad input gets a clear error', () => {
    expect(() => trace(42 as never)).toThrow('trace(fn, options): expected a function as the first argument (or options, to use trace as a decorator), got number');
    expect(() => trace(() => 1, { spanType: 5 } as never)).toThrow('option "spanType" must be a span type string');
    expect(() => trace(() => 1, { nme: 'x' } as never)).toThrow('unknown option "nme"');
    expect(() => trace(() => 1, [] as never)).toThrow('expected a span type string or an options object');
  });
});

describe('generators and streams', () => {
  test('generator: span stays open until exhausted; outputs = yielded items', () => {
    const gen = trace(function* count(n: number) {
      for (let i = 0; i < n; i++) yield i;
      return 'done';
    });
    const it = gen(3);
    expect(memory.traces).toHaveLength(0);
    expect([...it]).toEqual([0, 1, 2]);
    const span = memory.traces[0]!.data.spans[0]!;
    expect(span.inputs).toEqual({ n: 3 });
    expect(span.outputs).toEqual([0, 1, 2]);
  });

  test('generator closed early by break ends the span once', () => {
    const gen = trace(function* naturals() {
      let i = 0;
      for (;;) yield i++;
    });
    for (const v of gen()) if (v === 2) break;
    expect(memory.traces).toHaveLength(1);
    expect(memory.traces[0]!.data.spans[0]!.outputs).toEqual([0, 1, 2]);
  });

  test('generator that throws records the error and rethrows', () => {
    const boom = new Error('mid-stream');
    const gen = trace(function* failing() {
      yield 1;
      throw boom;
    });
    const seen: number[] = [];
    expect(() => {
      for (const v of gen()) seen.push(v);
    }).toThrow(boom);
    expect(seen).toEqual([1]);
    expect(memory.traces[0]!.data.spans[0]!.status.statusCode).toBe('STATUS_CODE_ERROR');
  });

  test('async generator: the consumer is not nested under the generator span', async () => {
    const stream = trace(async function* tokens(text: string) {
      for (const t of text.split(' ')) {
        await tick();
        yield t;
      }
    }, SpanType.LLM);
    const consume = trace(async function consume() {
      const out: string[] = [];
      for await (const t of stream('a b c')) {
        out.push(t);
        expect(getCurrentActiveSpan()?.name).toBe('consume');
      }
      return out.join('');
    });
    expect(await consume()).toBe('abc');
    expect(tree(memory.traces[0]!)).toMatchObject({ name: 'consume', children: [{ name: 'tokens', type: 'LLM', outputs: ['a', 'b', 'c'] }] });
  });

  test('the generator body runs with its own span active', () => {
    const names: Array<string | undefined> = [];
    const gen = trace(function* inner() {
      names.push(getCurrentActiveSpan()?.name);
      yield 1;
    });
    [...gen()];
    expect(names).toEqual(['inner']);
  });

  test('a plain function returning a stream object: the same object back, never iterated, span ends at return', async () => {
    let iterated = 0;
    class TokenStream {
      #chunks: string[];
      constructor(chunks: string[]) {
        this.#chunks = chunks;
      }
      get size() {
        return this.#chunks.length;
      }
      async *[Symbol.asyncIterator]() {
        iterated++;
        for (const c of this.#chunks) yield c;
      }
    }
    let made: TokenStream | undefined;
    const open = trace(async function open(prompt: string) {
      return (made = new TokenStream(prompt.split('')));
    });
    const s = await open('hey');
    expect(s).toBe(made);
    expect(s.size).toBe(3);
    expect(iterated).toBe(0);
    expect(memory.traces).toHaveLength(1);
    expect(memory.traces[0]!.data.spans[0]!.outputs).toEqual({});
    const got: string[] = [];
    for await (const c of s) got.push(c);
    expect(got).toEqual(['h', 'e', 'y']);
    expect(iterated).toBe(1);
  });

  test('arrays and strings are outputs, not streams', () => {
    trace(() => [1, 2])();
    trace(() => 'abc')();
    expect(memory.traces.map((t) => t.data.spans[0]!.outputs)).toEqual([[1, 2], 'abc']);
  });
});

describe('enable, disable, sampling', () => {
  test('disabled tracing records nothing and still runs the function', () => {
    const f = trace((x: number) => x * 2);
    disableTracing();
    expect(f(2)).toBe(4);
    expect(withSpan(() => 'ok', { name: 'manual' })).toBe('ok');
    enableTracing();
    expect(f(3)).toBe(6);
    expect(memory.traces).toHaveLength(1);
  });

  test('sampling is decided per trace at the root: traces are whole or absent', async () => {
    const child = trace(function child() {
      return 1;
    });
    const root = trace(function root() {
      return child() + child();
    });
    setSamplingRatio(0);
    for (let i = 0; i < 20; i++) root();
    expect(memory.traces).toHaveLength(0);
    setSamplingRatio(0.5);
    for (let i = 0; i < 400; i++) root();
    expect(memory.traces.length).toBeGreaterThan(100);
    expect(memory.traces.length).toBeLessThan(300);
    for (const t of memory.traces) expect(t.data.spans).toHaveLength(3);
    expect(() => setSamplingRatio(1.5)).toThrow('ratio must be a number between 0 and 1, got 1.5');
  });
});

test('MLFLOW_TRACE_SAMPLING_RATIO is read at startup; an invalid value warns and keeps every trace', async () => {
  const { execFileSync } = await import('node:child_process');
  const run = (value: string) =>
    execFileSync(
      process.execPath,
      ['--conditions=@tracewright/source', '--import', 'tsx', '-e', "import('@tracewright/runtime').then((m) => console.log(m.getSamplingRatio()))"],
      { env: { ...process.env, MLFLOW_TRACE_SAMPLING_RATIO: value }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    ).trim();
  expect(run('0.25')).toBe('0.25');
  expect(run('lots')).toBe('1');
});

test('a watched promise a traced caller observed on its way out: unhandled and handled as untraced', async () => {
  const { execFileSync } = await import('node:child_process');
  // The caller's own reaction reads the promise's constructor too; only the program's count.
  const program = (traced: boolean) => `
    const { trace, setDestination } = await import('@tracewright/runtime');
    setDestination({ description: 'none', export() {}, flush: async () => {}, shutdown: async () => {} });
    const wrap = ${traced} ? trace : (f) => f;
    const fetchPage = wrap(async function fetchPage(n) { await null; throw new Error('page ' + n + ' failed'); });
    const pageVia = wrap(function pageVia(n) { return fetchPage(n); });
    process.on('unhandledRejection', (e) => console.log('unhandled', e.message));
    void pageVia(3);
    try { for await (const page of [pageVia(4)]) console.log(page); } catch (e) { console.log('caught', e.message); }
    setTimeout(() => console.log('done'), 30);`;
  const run = (traced: boolean) =>
    execFileSync(process.execPath, ['--conditions=@tracewright/source', '--import', 'tsx', '--input-type=module', '-e', program(traced)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const untraced = run(false);
  expect(untraced).toContain('unhandled page 3 failed');
  expect(untraced).toContain('caught page 4 failed');
  expect(run(true)).toBe(untraced);
});
