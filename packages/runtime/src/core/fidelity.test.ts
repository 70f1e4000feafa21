/**
 * The first rule, in-process: a traced call returns exactly what the untraced call returns and
 * settles in the same order; recording never re-enters tracing, never runs a thenable or an
 * iterator, and never keeps more than the trace's budget. (Unhandled rejections and process
 * endings need their own processes: see process-end.test.ts.)
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, test, vi } from 'vitest';
import { configureTracing, setSamplingRatio } from '../api/control.js';
import { trace } from '../api/trace.js';
import { withSpan } from '../api/spans.js';
import { getCurrentActiveSpan } from './context.js';
import { SpanAttributeKey, SpanType, TracewrightKey } from '../model/constants.js';
import { useMemoryDestination } from './__tests__/memory.js';
import { runtimeState } from './state.js';
import * as tw from '../inject.js';

const memory = useMemoryDestination();

/** Reads of program getters by the tracer: `count` in a getter; the test's own reads go through `ours`. */
function readCounter() {
  let ours = false;
  const counter = {
    counted: 0,
    count<T>(value: T): T {
      if (!ours) counter.counted++;
      return value;
    },
    ours<T>(read: () => T): T {
      ours = true;
      try {
        return read();
      } finally {
        ours = false;
      }
    },
  };
  return counter;
}

/** `value` as recording sees it: an own accessor is never run, it reads "[getter]" (plain objects and arrays, deeply). */
function asRecorded(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asRecorded);
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const d = Object.getOwnPropertyDescriptor(value, key)!;
    out[key] = d.get ? '[getter]' : asRecorded(d.value);
  }
  return out;
}

describe('the same value back', () => {
  test('a returned native promise is the very promise the function returned', async () => {
    const cached = Promise.resolve(42);
    const getCached = trace(function getCached() {
      return cached;
    });
    const p = getCached();
    expect(p).toBe(cached);
    expect(await p).toBe(42);
    expect(memory.traces[0]!.data.spans[0]!.outputs).toBe(42);
  });

  test('a promise subclass with its own API is returned untouched and never observed through then()', async () => {
    let thenCalls = 0;
    class Cancelable<T> extends Promise<T> {
      cancel() {
        return 'cancelled';
      }
      override then<A = T, B = never>(...args: Parameters<Promise<T>['then']>): Promise<A | B> {
        thenCalls++;
        return super.then(...(args as [])) as Promise<A | B>;
      }
    }
    const make = trace(function make() {
      return new Cancelable<number>((resolve) => resolve(1));
    });
    const p = make();
    expect(p).toBeInstanceOf(Cancelable);
    expect(p.cancel()).toBe('cancelled');
    expect(thenCalls).toBe(0);
    expect(memory.traces).toHaveLength(1);
    expect(memory.traces[0]!.data.spans[0]!.outputs).toBe('[Cancelable]');
  });

  test('a foreign thenable (query builder) is never run by the tracer', async () => {
    let executions = 0;
    class Query {
      where = 'id = 1';
      then(resolve: (rows: unknown[]) => void) {
        executions++;
        resolve([{ id: 1 }]);
      }
    }
    const build = trace(function build() {
      return new Query();
    });
    const q = build();
    expect(q).toBeInstanceOf(Query);
    expect(executions).toBe(0);
    expect(await q).toEqual([{ id: 1 }]);
    expect(executions).toBe(1);
    expect(memory.traces[0]!.data.spans[0]!.outputs).toBe('[Query (thenable)]');
  });

  test('an iterator or iterable returned by a plain function comes back as is, not iterated', () => {
    const map = new Map([
      ['a', 1],
      ['b', 2],
    ]);
    class Peekable<T> implements Iterator<T> {
      constructor(private readonly items: T[]) {}
      get [Symbol.toStringTag]() {
        return 'Peekable';
      }
      peek(): T | undefined {
        return this.items[0];
      }
      next(): IteratorResult<T> {
        const v = this.items.shift();
        return v === undefined ? { done: true, value: undefined } : { done: false, value: v };
      }
      [Symbol.iterator]() {
        return this;
      }
    }
    const keys = trace(() => map.keys());
    const peekable = trace(() => new Peekable([1, 2]));
    const it = keys();
    expect(Object.prototype.toString.call(it)).toBe('[object Map Iterator]');
    expect([...it]).toEqual(['a', 'b']);
    const p = peekable();
    expect(p).toBeInstanceOf(Peekable);
    expect(p.peek()).toBe(1);
    expect([...p]).toEqual([1, 2]);
    expect(memory.traces).toHaveLength(2);
  });

  test('a revoked proxy or one whose traps throw is returned without the tracer touching it', () => {
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('get trap');
        },
        getPrototypeOf() {
          throw new Error('getPrototypeOf trap');
        },
      },
    );
    expect(trace(() => revoked)()).toBe(revoked);
    expect(trace(() => hostile)()).toBe(hostile);
    expect(memory.traces).toHaveLength(2);
  });

  test('settlement order of traced and untraced async calls is the same', async () => {
    const run = async (wrap: <F extends (...a: any[]) => any>(f: F) => F) => {
      const log: string[] = [];
      const a = wrap(async function a() {
        log.push('a1');
        await null;
        log.push('a2');
        return 'a';
      });
      const b = async function b() {
        log.push('b1');
        await null;
        log.push('b2');
        return 'b';
      };
      const c = wrap(async function c() {
        return 'c';
      });
      const pa = a().then((v) => log.push(`then ${v}`));
      const pb = b().then((v) => log.push(`then ${v}`));
      const pc = c().then((v) => log.push(`then ${v}`));
      log.push(`race ${await Promise.race([c(), b()])}`);
      await Promise.all([pa, pb, pc]);
      return log;
    };
    const untraced = await run((f) => f);
    const traced = await run((f) => trace(f));
    expect(traced).toEqual(untraced);
  });
});

describe('recording', () => {
  test("a generator's recorded items stay within the value limit: whole items, then how many more", () => {
    configureTracing({ maxValueChars: 100 });
    try {
      const rows = trace(function* rows() {
        for (let i = 0; i < 10; i++) yield { row: i, label: `row number ${i}` };
      });
      expect([...rows()]).toHaveLength(10);
    } finally {
      configureTracing({ maxValueChars: 100_000 });
    }
    const outputs = memory.traces[0]!.data.spans[0]!.outputs as unknown[];
    expect(outputs).toEqual([{ row: 0, label: 'row number 0' }, { row: 1, label: 'row number 1' }, { row: 2, label: 'row number 2' }, '[7 more items not recorded]']);
  });

  test('a generator records each item as it was yielded: what the consumer changes afterwards does not show', () => {
    const messages = trace(function* messages() {
      yield { text: 'first' };
      yield { text: 'second' };
    });
    // The same generator traced inline, as compiled `// @trace` code runs it.
    function* inline(): Generator<{ text: string; explanation?: string }> {
      const c = tw.genEnter('inline', undefined, {});
      let r;
      try {
        yield tw.yielded({ text: 'first' }, c);
        yield tw.yielded({ text: 'second' }, c);
      } catch (e) {
        r = c;
        throw tw.genFail(c, e);
      } finally {
        if (r !== c) tw.genEnd(c);
      }
    }
    for (const source of [messages, inline]) {
      for (const item of source() as Iterable<{ text: string; explanation?: string }>) item.explanation = 'added by the consumer';
    }
    expect(memory.traces.map((t) => t.data.spans[0]!.outputs)).toEqual([
      [{ text: 'first' }, { text: 'second' }],
      [{ text: 'first' }, { text: 'second' }],
    ]);
  });

  test("a plain function's promise: its outcome once the program consumes it, the promise itself when it does not", async () => {
    const later = trace(function later(x: number) {
      return new Promise<number>((resolve) => setTimeout(() => resolve(x * 2), 30));
    });
    expect(await later(2)).toBe(4);
    const dropped = later(3);
    await new Promise((resolve) => setTimeout(resolve, 60));
    const [awaited, unconsumed] = memory.traces.map((t) => t.data.spans[0]!);
    expect(awaited!.outputs).toBe(4);
    expect(awaited!.durationMs).toBeGreaterThanOrEqual(25);
    // Never consumed by the next turn: no reaction of ours (a rejection would stay unhandled,
    // see the equivalence program "rejections"); ended when the call returned.
    expect(unconsumed!.outputs).toBe('[Promise]');
    expect(unconsumed!.durationMs).toBeLessThan(25);
    expect(Object.getOwnPropertyNames(dropped)).toEqual([]);
    expect(await dropped).toBe(6);
  });

  test('no spans while serializing: traced proxy traps reached by the serializer run untraced', () => {
    const handler = {
      get: trace(function get(target: Record<string, unknown>, key: PropertyKey) {
        return Reflect.get(target, key);
      }),
      ownKeys: trace(function ownKeys(target: object) {
        return Reflect.ownKeys(target);
      }),
    };
    const draft = new Proxy({ a: 1 }, handler);
    const produce = trace(function produce(d: { a: number }) {
      return d.a + 1;
    });
    expect(produce(draft)).toBe(2);
    const names = memory.traces.flatMap((t) => t.data.spans.map((s) => s.name));
    expect(names).toContain('produce');
    expect(memory.traces.find((t) => t.data.spans[0]!.name === 'produce')!.data.spans.map((s) => s.name)).toEqual(['produce', 'get']);
  });

  test("an exception is recorded without the error's class or name getters, its message read once", () => {
    const counter = readCounter();
    class NamedByGetter extends Error {
      get name() {
        return counter.count('NamedByGetter');
      }
      get message() {
        return counter.count('computed message');
      }
    }
    class ClassNameByGetter extends NamedByGetter {
      static get name() {
        return counter.count('ClassNameByGetter');
      }
    }
    for (const error of [new NamedByGetter(), new ClassNameByGetter()]) {
      const fail = trace(function fail() {
        throw error;
      });
      const outer = trace(function outer() {
        return fail();
      });
      expect(() => outer()).toThrow(error);
    }
    // One read of the message per span that recorded the exception; no name getter ran.
    expect(counter.counted).toBe(4);
    const recorded = memory.traces.map((t) => t.data.spans.map((s) => counter.ours(() => [s.events[0]!.attributes['exception.type'], s.events[0]!.attributes['exception.message']])));
    expect(recorded).toEqual([
      // The class's name, since its `name` is a getter.
      [['NamedByGetter', 'computed message'], ['NamedByGetter', 'computed message']],
      // Neither is readable without running the program's code.
      [['Error', 'computed message'], ['Error', 'computed message']],
    ]);
  });

  test('a thrown Proxy passes through traced calls without its traps running', () => {
    const trapped: string[] = [];
    const handler: ProxyHandler<Error> = {};
    for (const trap of ['get', 'getPrototypeOf', 'has', 'ownKeys', 'getOwnPropertyDescriptor'] as const) {
      (handler as Record<string, unknown>)[trap] = (...args: unknown[]) => {
        trapped.push(trap);
        return (Reflect[trap] as (...a: unknown[]) => unknown)(...args);
      };
    }
    const thrown = new Proxy(new Error('through a proxy'), handler);
    const heir = Object.create(thrown) as object;
    for (const value of [thrown, heir]) {
      const fail = trace(function fail() {
        throw value;
      });
      const outer = trace(function outer() {
        return fail();
      });
      let caught: unknown;
      try {
        outer();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBe(value);
    }
    expect(trapped).toEqual([]);
    expect(memory.traces).toHaveLength(2);
    expect(memory.traces.map((t) => t.info.state)).toEqual(['ERROR', 'ERROR']);
  });

  test("the program's spies and mocks of Math.random and crypto.getRandomValues see none of the tracer's calls", () => {
    const random = vi.spyOn(Math, 'random');
    // Filling nothing: ids drawn from it would all be zero, and redrawn forever.
    const randomValues = vi.spyOn(crypto, 'getRandomValues').mockImplementation((array) => array);
    setSamplingRatio(0.999);
    try {
      const add = trace(function add(a: number, b: number) {
        return a + b;
      });
      // Enough traces and spans to draw fresh id pools.
      for (let i = 0; i < 3_000; i++) expect(add(i, 1)).toBe(i + 1);
      expect(random).not.toHaveBeenCalled();
      expect(randomValues).not.toHaveBeenCalled();
    } finally {
      setSamplingRatio(1);
      random.mockRestore();
      randomValues.mockRestore();
    }
    const ids = new Set(memory.traces.map((t) => t.info.traceId));
    expect(ids.size).toBe(memory.traces.length);
    expect(memory.traces.length).toBeGreaterThan(2_900);
  });

  test('replaced or deleted globals do not break traced calls', async () => {
    const g = globalThis as Record<string, unknown>;
    const saved = { BigInt: g.BigInt, Promise: g.Promise, JSON: g.JSON };
    const f = trace(async function f(x: number) {
      return x + 1;
    });
    let p: Promise<number>;
    try {
      delete g.BigInt;
      g.Promise = function NotAPromise() {};
      g.JSON = { stringify: () => 'broken' };
      p = f(1);
    } finally {
      Object.assign(g, saved);
    }
    expect(await p).toBe(2);
    expect(memory.traces[0]!.data.spans[0]!.inputs).toEqual({ x: 1 });
    expect(memory.traces[0]!.data.spans[0]!.outputs).toBe(2);
  });

  test('a large object passed again and again: recorded in full twice per trace, then referred to', () => {
    const small = { items: Array.from({ length: 50 }, (_, i) => ({ id: i, label: `item ${i}` })) };
    const root = { items: Array.from({ length: 2_500 }, (_, i) => ({ id: i, label: `item ${i}` })) };
    const walk: (node: typeof root, depth: number) => number = trace(function step(node: typeof root, depth: number): number {
      return depth === 0 ? node.items.length : walk(node, depth - 1);
    });
    // Small objects are always recorded in full.
    expect(walk(small, 20)).toBe(50);
    const full = memory.traces[0]!.data.spans.map((s) => JSON.stringify((s.inputs as { node: unknown }).node));
    expect(full.every((r) => r.includes('item 49'))).toBe(true);
    // A large one twice (a retriever's documents, then the LLM call taking them), then by reference.
    expect(walk(root, 30)).toBe(2_500);
    const spans = memory.traces[1]!.data.spans;
    expect(spans).toHaveLength(31);
    const recorded = spans.map((s) => JSON.stringify((s.inputs as { node: unknown }).node));
    expect(recorded.filter((r) => r.includes('item 2499'))).toHaveLength(2);
    expect(recorded.filter((r) => r === JSON.stringify('[same object as in span "step" inputs]')).length).toBe(29);
  });

  test('an object too large for any record: recorded once, cut short, then referred to; one cut short by its siblings is not', () => {
    configureTracing({ maxValueChars: 20_000 });
    try {
      const huge = { items: Array.from({ length: 5_000 }, (_, i) => ({ id: i, label: `item ${i}` })) };
      const doc = { items: Array.from({ length: 200 }, (_, i) => ({ id: i, label: `part ${i}` })) };
      const step = trace(function step(node: object, other: object | undefined) {
        return node === other;
      });
      const walk = trace(function walk() {
        step(huge, undefined);
        step(huge, undefined);
        step(huge, undefined);
        // Written after 15,000 characters of the other argument, `doc` is cut short by it: its
        // next record, first in its span, still shows it whole.
        step({ pad: 'x'.repeat(15_000) }, doc);
        step(doc, undefined);
        step(doc, undefined);
        return 6;
      });
      expect(walk()).toBe(6);
      const inputs = memory.traces[0]!.data.spans.slice(1).map((s) => s.encodedAttributes[SpanAttributeKey.INPUTS]!);
      const reference = JSON.stringify('[same object as in span "step" inputs]');
      expect(inputs.map((r) => (r.includes(reference) ? 'ref' : r.includes('item 4999') || r.includes('part 199') ? 'full' : 'cut'))).toEqual(['cut', 'ref', 'ref', 'cut', 'full', 'ref']);
    } finally {
      configureTracing({ maxValueChars: 100_000 });
    }
  });

  test('a large object inheriting from a Proxy, passed again and again: no trap runs while recording or comparing it', () => {
    const trapped: PropertyKey[] = [];
    const handler = new Proxy({}, { get: (_, trap: keyof typeof Reflect) => (...args: unknown[]) => (trapped.push(trap), (Reflect[trap] as (...a: unknown[]) => unknown)(...args)) });
    const state = Object.create(new Proxy({}, handler), { items: { value: Array.from({ length: 400 }, (_, i) => `item ${i}`), enumerable: true } });
    const walk: (s: typeof state, n: number) => number = trace(function step(s: typeof state, n: number): number {
      return n === 0 ? s.items.length : walk(s, n - 1);
    });
    trapped.length = 0;
    expect(walk(state, 5)).toBe(400);
    expect(trapped).toEqual([]);
    const recorded = memory.traces[0]!.data.spans.map((span) => JSON.stringify((span.inputs as { s: unknown }).s));
    expect(recorded.filter((r) => r.includes('item 399'))).toHaveLength(2);
    expect(recorded.filter((r) => r === JSON.stringify('[same object as in span "step" inputs]'))).toHaveLength(4);
  });

  test('a large object that changed since it was recorded is recorded in full again, never as a reference', () => {
    type Message = { role: string; content: string };
    const prompt = 'Answer from the documents only. '.repeat(80);
    const step = trace(function step(messages: Message[]) {
      return messages.length;
    });
    const agent = trace(function agent() {
      const messages: Message[] = [{ role: 'system', content: prompt }, { role: 'user', content: 'q1' }];
      step(messages);
      step(messages);
      // Longer by one item, an item replaced, a nested field edited: each time it is not what was recorded.
      messages.push({ role: 'assistant', content: 'a1' });
      step(messages);
      step(messages);
      messages[1] = { role: 'user', content: 'q2' };
      step(messages);
      messages[1]!.content = 'q3';
      step(messages);
      return messages.length;
    });
    expect(agent()).toBe(3);
    const recorded = memory.traces[0]!.data.spans.slice(1).map((s) => JSON.stringify((s.inputs as { messages: unknown }).messages));
    const reference = JSON.stringify('[same object as in span "step" inputs]');
    expect(recorded.map((r) => (r === reference ? 'ref' : (JSON.parse(r) as Message[]).map((m) => (typeof m === 'string' ? 'ref' : m.content.slice(0, 2))).join(' ')))).toEqual([
      'An q1',
      'An q1',
      // The system message itself never changes: recorded twice, then a reference.
      'ref q1 a1',
      'ref q1 a1',
      'ref q2 a1',
      'ref q3 a1',
    ]);
  });

  test('an accumulator a recursive walk passes to every call is recorded as it is at each call, continued from its earlier record', () => {
    type Note = [path: string, kind: string];
    const reads = readCounter();
    const walk: (n: number, notes: Note[]) => number = trace(function visit(n: number, notes: Note[]): number {
      expected.push(reads.ours(() => JSON.stringify(notes)));
      if (n === 0) return notes.length;
      notes.push([`node ${n}.${'x'.repeat(40)}`, n % 2 ? 'Date' : 'Map']);
      if (n === 150) notes.pop(); // shorter than recorded: written afresh
      if (n === 120) notes[0] = ['replaced', 'Set']; // an earlier item replaced: written afresh
      if (n === 80) notes.splice(notes.length - 3, 0, ['inserted', 'Map']); // inserted past the first values compared: written afresh
      if (n === 100) {
        // An item past the first values compared: read while it is recorded, then never again.
        const item = ['counted', 'Date'] as Note;
        Object.defineProperty(item, 1, { enumerable: true, get: () => reads.count('Date') });
        notes.push(item);
      }
      return walk(n - 1, notes);
    });
    const expected: string[] = [];
    const notes: Note[] = [];
    expect(walk(200, notes)).toBe(notes.length);
    const recorded = memory.traces[0]!.data.spans.map((s) => JSON.stringify((s.inputs as { notes: unknown }).notes));
    expect(recorded).toEqual(expected);
    expect(expected.filter((e) => e.length >= 2_000).length).toBeGreaterThan(100);
    // Once for the span that first recorded it, once when the list first grew past it: the
    // calls after continue that record instead of reading the list again.
    expect(reads.counted).toBeLessThanOrEqual(2);
  });

  test('a Map of seen objects and a visited Set passed to every call are recorded as they are at each call, continued from their earlier record', () => {
    type Node = { id: number; label: string };
    const reads = readCounter();
    const counted = (node: Node): Node => {
      const value = { ...node };
      Object.defineProperty(value, 'label', { enumerable: true, get: () => reads.count(node.label) });
      return value;
    };
    const expected: Array<{ seen: string; visited: string }> = [];
    const walk: (n: number, seen: Map<Node, Node>, visited: Set<Node>) => number = trace(function visit(n: number, seen: Map<Node, Node>, visited: Set<Node>): number {
      // An empty Map has no key an object key cannot stand for: it reads as an empty object.
      expected.push(reads.ours(() => ({ seen: seen.size ? JSON.stringify(asRecorded([...seen])) : '{}', visited: JSON.stringify(asRecorded([...visited])) })));
      if (n === 0) return seen.size;
      const node = { id: n, label: `node ${n}.${'x'.repeat(30)}` };
      // Past the first values compared: read while recorded, then never again.
      seen.set(node, n === 100 ? counted(node) : { id: -n, label: 'copy' });
      visited.add(n === 100 ? counted(node) : node);
      if (n === 150) seen.delete(node); // shorter than recorded: written afresh
      if (n === 120) seen.set(seen.keys().next().value!, { id: 0, label: 'replaced' }); // a first entry changed: written afresh
      if (n === 110) visited.delete(visited.values().next().value!); // a first item gone: written afresh
      if (n === 60) visited.delete([...visited][100]!); // one gone past the first values compared, one added: written afresh
      return walk(n - 1, seen, visited);
    });
    const seen = new Map<Node, Node>();
    expect(walk(200, seen, new Set())).toBe(seen.size);
    const recorded = memory.traces[0]!.data.spans.map((s) => {
      const inputs = s.inputs as { seen: unknown; visited: unknown };
      return { seen: JSON.stringify(inputs.seen), visited: JSON.stringify(inputs.visited) };
    });
    expect(recorded).toEqual(expected);
    expect(expected.filter((e) => e.seen.length >= 2_000 && e.visited.length >= 2_000).length).toBeGreaterThan(100);
    // Recording runs no getter (recorded as "[getter]"), continued or written afresh.
    expect(reads.counted).toBe(0);
  });

  test('a memo Map passed to every call is continued as the object it is written as, and afresh once it is written in the other form', () => {
    const expected: string[] = [];
    const reads = readCounter();
    const solve: (n: number, memo: Map<unknown, unknown>) => number = trace(function step(n: number, memo: Map<unknown, unknown>): number {
      // Keyed by strings: an object; once keyed by an object too: its [key, value] entries.
      expected.push(reads.ours(() => JSON.stringify(asRecorded(n > 40 ? Object.fromEntries(memo) : [...memo]))));
      if (n === 0) return memo.size;
      // Past the first values compared: read while recorded, then never again while continued.
      if (n === 60) memo.set(`n${n}`, { get text() { return reads.count('counted'); } });
      else memo.set(`n${n}`, `${n} ${'y'.repeat(40)}`);
      if (n === 41) memo.set({ n }, 'an object key');
      if (n === 20) memo.set('n110', 'replaced, not moved'); // an existing key set again: written afresh
      return solve(n - 1, memo);
    });
    expect(solve(120, new Map())).toBe(121);
    const recorded = memory.traces[0]!.data.spans.map((s) => JSON.stringify((s.inputs as { memo: unknown }).memo));
    expect(recorded).toEqual(expected);
    expect(expected.filter((e) => e.length >= 2_000).length).toBeGreaterThan(60);
    expect(reads.counted).toBe(0);
  });

  test('a memo object passed to every call is continued from its earlier record, and afresh when a key lands before its last one', () => {
    const expected: string[] = [];
    const reads = readCounter();
    const fill: (n: number, memo: Record<number, unknown>) => number = trace(function step(n: number, memo: Record<number, unknown>): number {
      expected.push(reads.ours(() => JSON.stringify(asRecorded(memo))));
      if (n === 150) return Object.keys(memo).length;
      // Integer keys read in ascending order: added ascending, each lands last.
      if (n === 60) Object.defineProperty(memo, 2 * n, { enumerable: true, get: () => reads.count('counted') });
      else memo[2 * n] = `${n} ${'z'.repeat(30)}`;
      if (n === 100) memo[91] = 'lands between 90 and 92, past the first values compared: written afresh';
      if (n === 110) delete memo[0]; // a first field gone: written afresh
      return fill(n + 1, memo);
    });
    expect(fill(0, {})).toBe(150);
    const recorded = memory.traces[0]!.data.spans.map((s) => JSON.stringify((s.inputs as { memo: unknown }).memo));
    expect(recorded).toEqual(expected);
    expect(expected.filter((e) => e.length >= 2_000).length).toBeGreaterThan(80);
    expect(reads.counted).toBe(0);
  });

  test('the records of a growing accumulator share their earlier text: memory grows with the items added, not with every record', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    type Note = [path: string, kind: string];
    const walk: (n: number, notes: Note[]) => number = trace(function visit(n: number, notes: Note[]): number {
      notes.push([`node ${n}.${'x'.repeat(40)}`, 'Date']);
      return n === 0 ? notes.length : walk(n - 1, notes);
    });
    gc();
    const before = process.memoryUsage().heapUsed;
    expect(walk(400, [])).toBe(401);
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    const spans = memory.traces.at(-1)!.data.spans;
    const recordedChars = spans.reduce((n, s) => n + s.encodedAttributes['mlflow.spanInputs']!.length, 0);
    // ~4.8 M characters recorded; each record a copy of the last one and more held them all.
    expect(recordedChars).toBeGreaterThan(4_000_000);
    expect(grown).toBeLessThan(2 * 1024 * 1024);
    // Each call's record is the list as the call received it.
    expect(JSON.parse(spans[400]!.encodedAttributes['mlflow.spanInputs']!).notes).toHaveLength(400);
  });

  test('LLM and chat-model spans record large objects in full every time', () => {
    const context = { documents: Array.from({ length: 40 }, (_, i) => `document ${i}: ${'text '.repeat(20)}`) };
    const llm = trace((ctx: typeof context, question: string) => `answer to ${question}`, { name: 'llm', spanType: SpanType.LLM });
    const chat = trace((ctx: typeof context, question: string) => `answer to ${question}`, { name: 'chat', spanType: SpanType.CHAT_MODEL });
    const agent = trace(function agent() {
      for (let i = 0; i < 3; i++) llm(context, `q${i}`);
      for (let i = 0; i < 3; i++) chat(context, `q${i}`);
    });
    agent();
    const spans = memory.traces[0]!.data.spans.slice(1);
    expect(spans).toHaveLength(6);
    for (const s of spans) expect((s.inputs as { ctx: typeof context }).ctx).toEqual(context);
  });

  test('per-trace budgets: spans past maxSpansPerTrace and values past maxTraceRecordedChars are counted, not kept', () => {
    const state = runtimeState();
    const saved = { spans: state.maxSpansPerTrace, chars: state.maxTraceRecordedChars };
    configureTracing({ maxSpansPerTrace: 50, maxTraceRecordedChars: 5_000 });
    try {
      const leaf = trace(function leaf(text: string) {
        return text.length;
      });
      const root = trace(function root() {
        let n = 0;
        for (let i = 0; i < 200; i++) n += leaf('x'.repeat(200));
        return n;
      });
      expect(root()).toBe(40_000);
    } finally {
      configureTracing({ maxSpansPerTrace: saved.spans, maxTraceRecordedChars: saved.chars });
    }
    const t = memory.traces[0]!;
    expect(t.data.spans).toHaveLength(50);
    expect(t.info.traceMetadata[TracewrightKey.DROPPED_SPANS]).toBe('151');
    expect(Number(t.info.traceMetadata[TracewrightKey.TRUNCATED_VALUES])).toBeGreaterThan(0);
    const recorded = t.data.spans.reduce((n, s) => n + (s.encodedAttributes['mlflow.spanInputs']?.length ?? 0), 0);
    expect(recorded).toBeLessThan(5_000 + 50 * 120);
  });

  test('past the span budget a subtree records nothing, its calls see no span and return as untraced', () => {
    const state = runtimeState();
    const saved = state.maxSpansPerTrace;
    configureTracing({ maxSpansPerTrace: 3 });
    const seen: Array<string | null> = [];
    let getterReads = 0;
    const arg = {
      get expensive() {
        getterReads++;
        return 1;
      },
    };
    try {
      // Not a named function expression: inside one, its own name is the untraced function.
      const leaf: (x: typeof arg, depth: number) => number = trace(
        (x: typeof arg, depth: number): number => {
          seen.push(getCurrentActiveSpan()?.name ?? null);
          return depth === 0 ? 1 : withSpan(() => leaf(x, depth - 1) + leaf(x, depth - 1), { name: 'inner' });
        },
        { name: 'leaf' },
      );
      const root = trace(function root() {
        return leaf(arg, 3) + leaf(arg, 3);
      });
      expect(root()).toBe(16);
    } finally {
      configureTracing({ maxSpansPerTrace: saved });
    }
    const t = memory.traces[0]!;
    expect(t.data.spans.map((s) => s.name)).toEqual(['root', 'leaf', 'inner']);
    // Counted where a recorded span refused them (both leaves under inner, the second leaf under
    // root); below a refused call nothing is started, so nothing more is counted.
    expect(t.info.traceMetadata[TracewrightKey.DROPPED_SPANS]).toBe('3');
    expect(seen.slice(0, 1)).toEqual(['leaf']);
    expect(seen.slice(1).every((name) => name === null)).toBe(true);
    expect(seen).toHaveLength(30);
    // Recording runs no getter; dropped calls bind nothing.
    expect(getterReads).toBe(0);
  });
});

describe('stack', () => {
  function maxDepth(f: (n: number) => number): number {
    let lo = 100;
    let hi = 200_000;
    // Grow, then bisect the depth at which the call overflows.
    while (lo < hi - 50) {
      const mid = Math.floor((lo + hi) / 2);
      try {
        f(mid);
        lo = mid;
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        hi = mid;
      }
    }
    return lo;
  }

  test('traced recursion reaches at least the depth of a bare AsyncLocalStorage.run wrapper', () => {
    const als = new AsyncLocalStorage<object>();
    const floor: (n: number) => number = function down(n: number): number {
      return als.run({}, () => (n === 0 ? 0 : floor(n - 1) + 1));
    };
    const traced: (n: number) => number = trace(function down(n: number): number {
      return n === 0 ? 0 : traced(n - 1) + 1;
    });
    const saved = runtimeState().maxSpansPerTrace;
    configureTracing({ maxSpansPerTrace: 1_000_000 });
    try {
      const floorDepth = maxDepth(floor);
      const tracedDepth = maxDepth(traced);
      console.log(`max recursion depth: AsyncLocalStorage.run floor ${floorDepth}, trace() ${tracedDepth}`);
      expect(tracedDepth).toBeGreaterThanOrEqual(floorDepth);
    } finally {
      configureTracing({ maxSpansPerTrace: saved });
    }
  });

  test('withSpan passes its span and returns the callback value untouched', async () => {
    const p = Promise.resolve('x');
    expect(withSpan(() => p, { name: 'w' })).toBe(p);
    await p;
    // The span ends in the observer's own reaction to p, which may come a turn after this one
    // (an observation queued behind others): every microtask has run by the next macrotask.
    await new Promise((resolve) => setImmediate(resolve));
    expect(memory.traces[0]!.data.spans[0]!.outputs).toBe('x');
  });
});
