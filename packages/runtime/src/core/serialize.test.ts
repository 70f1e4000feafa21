import { describe, expect, test } from 'vitest';
import { serialize, TRUNCATION_MARKER } from './serialize.js';
import { runtimeState } from './state.js';
import { TraceInfo } from '../model/trace.js';

const json = (v: unknown, maxChars = 100_000) => JSON.parse(serialize(v, { maxChars }));

describe('serialize never throws and stays readable', () => {
  test('plain JSON values are unchanged', () => {
    const value = { a: 1, b: 'x', c: [true, null, 2.5], d: { e: 'f' } };
    expect(json(value)).toEqual(value);
  });

  test('circular references', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    a.list = [a];
    expect(json(a)).toEqual({ name: 'a', self: '[Circular]', list: ['[Circular]'] });
  });

  test('long strings are escaped as JSON.stringify escapes them, also when one of the same length was recorded before', () => {
    // Same lengths (the remembered scan is kept per length): clean, quote, control, lone
    // surrogate, an equal copy made apart, and each again.
    const clean = 'a'.repeat(300);
    const variants = [clean, `${'a'.repeat(150)}"${'a'.repeat(149)}`, `${'a'.repeat(299)}\n`, `\ud800${'a'.repeat(299)}`, ['a'.repeat(100), 'a'.repeat(200)].join('')];
    for (let round = 0; round < 3; round++) {
      for (const s of variants) expect(serialize(s, { maxChars: 100_000 })).toBe(JSON.stringify(s));
      expect(serialize({ list: variants }, { maxChars: 100_000 })).toBe(JSON.stringify({ list: variants }));
    }
    // Each length, many lengths, past the remembered slots.
    for (let n = 100; n < 400; n++) {
      const s = 'b'.repeat(n - 1) + (n % 3 === 0 ? '\\' : 'c');
      expect(serialize(s, { maxChars: 100_000 })).toBe(JSON.stringify(s));
    }
  });

  test('shared (non-circular) references are written twice', () => {
    const shared = { v: 1 };
    expect(json({ x: shared, y: shared })).toEqual({ x: { v: 1 }, y: { v: 1 } });
  });

  test('bigint, symbol, function, undefined, NaN', () => {
    expect(json({ big: 12345678901234567890n, sym: Symbol('s'), fn: function named() {}, u: undefined, n: NaN, inf: -Infinity })).toEqual({
      big: '12345678901234567890',
      sym: 'Symbol(s)',
      fn: '[Function named]',
      u: null,
      n: 'NaN',
      inf: '-Infinity',
    });
  });

  test('Map, Set, Date, Error with cause', () => {
    const err = new TypeError('bad', { cause: new Error('root') });
    const out = json({ m: new Map<unknown, unknown>([['k', 1], [2, 'two']]), s: new Set([1, 2]), d: new Date(0), err });
    expect(out.m).toEqual({ k: 1, '2': 'two' });
    // Keyed by objects: its entries, not colliding "[object Object]" keys.
    const tool = { name: 'search' };
    expect(json(new Map<unknown, unknown>([[tool, 1], [{ name: 'fetch' }, 2], ['k', 3]]))).toEqual([[{ name: 'search' }, 1], [{ name: 'fetch' }, 2], ['k', 3]]);
    expect(out.s).toEqual([1, 2]);
    expect(out.d).toBe('1970-01-01T00:00:00.000Z');
    expect(out.err.name).toBe('TypeError');
    expect(out.err.message).toBe('bad');
    expect(out.err.cause.message).toBe('root');
    // Not read: V8 formats a stack at its first read, fixing the name and message it shows.
    expect(out.err.stack).toBeUndefined();
  });

  test('dates: a subclass and one with own fields as ISO text, a Proxy of one described, an object posing as one unserializable', () => {
    class Stamp extends Date {}
    const tagged = Object.assign(new Date(86_400_000), { zone: 'UTC' });
    const posing = Object.create(Date.prototype) as Date;
    const proxied = new Proxy(new Date(0), { getPrototypeOf: () => { throw new Error('trap ran'); } });
    expect(json({ s: new Stamp(0), t: tagged, p: proxied, x: posing, again: [tagged, tagged] })).toEqual({
      s: '1970-01-01T00:00:00.000Z',
      t: '1970-01-02T00:00:00.000Z',
      p: '[Proxy]',
      x: expect.stringMatching(/^\[Unserializable: .*not a Date object/),
      again: ['1970-01-02T00:00:00.000Z', '1970-01-02T00:00:00.000Z'],
    });
  });

  test('recording an error reads neither its stack nor a message getter (an error still being built)', () => {
    class LazyError extends Error {
      issues: string[] = [];
      constructor() {
        super();
        Object.defineProperty(this, 'message', { get: () => JSON.stringify(this.issues), configurable: true });
      }
    }
    const err = new LazyError();
    expect(json(err)).toEqual({ name: 'Error', message: '[getter]', issues: [] });
    err.name = 'LazyError';
    err.issues.push('late');
    expect(err.message).toBe('["late"]');
    expect(err.stack!.split('\n')[0]).toBe('LazyError: ["late"]');
  });

  test('binary data is summarized, not dumped', () => {
    expect(json({ b: Buffer.alloc(1024), u: new Uint8Array(3), ab: new ArrayBuffer(8) })).toEqual({
      b: '[Buffer 1024 bytes]',
      u: '[Uint8Array 3 bytes]',
      ab: '[ArrayBuffer 8 bytes]',
    });
  });

  test('class instances use their own enumerable fields; a toJSON of the program is not run', () => {
    class Doc {
      constructor(
        public id: string,
        private secretLength = 3,
      ) {}
      get computed() {
        return 'not enumerable on the instance';
      }
    }
    expect(json(new Doc('d1'))).toEqual({ id: 'd1', secretLength: 3 });
    // xstate's state nodes: a toJSON reading a getter that memoizes (what the program sees later).
    let calls = 0;
    class Node {
      key = 'root';
      toJSON() {
        calls++;
        return { key: this.key };
      }
    }
    expect(json({ node: new Node(), t: { toJSON: () => 'custom', a: 1 } })).toEqual({ node: { key: 'root' }, t: { toJSON: '[Function toJSON]', a: 1 } });
    expect(calls).toBe(0);
    // Built-in and the runtime's own toJSON run no program code: used.
    expect(json({ url: new URL('https://example.test/a?b=1') })).toEqual({ url: 'https://example.test/a?b=1' });
    const info = new TraceInfo({ traceId: 'tr-1', traceLocation: { type: 'MLFLOW_EXPERIMENT', mlflowExperiment: { experimentId: '0' } }, requestTime: 1, state: 'OK' });
    expect(json(info)).toMatchObject({ trace_id: 'tr-1', state: 'OK' });
  });

  test('useToJSON: an object is recorded as its toJSON() result, applied once as JSON.stringify does', () => {
    const state = runtimeState();
    state.useToJSON = true;
    try {
      expect(json({ t: { toJSON: () => 'custom' } })).toEqual({ t: 'custom' });
      // xstate's transitions return a copy of themselves, toJSON included: not applied again.
      let calls = 0;
      const transition = {
        target: 'b',
        toJSON(): unknown {
          calls++;
          return { ...transition, event: 'GO' };
        },
      };
      expect(json({ on: [transition] })).toEqual({ on: [{ target: 'b', toJSON: '[Function toJSON]', event: 'GO' }] });
      expect(calls).toBe(1);
      expect(json({ t: { toJSON: () => { throw new Error('nope'); } } })).toEqual({ t: '[Unserializable: nope]' });
    } finally {
      state.useToJSON = false;
    }
  });

  test('getters are not run (not even one that would throw); a Proxy is described, its traps not run', () => {
    const obj = {
      ok: 1,
      get boom(): number {
        throw new Error('getter exploded');
      },
    };
    expect(json(obj)).toEqual({ ok: 1, boom: '[getter]' });
    // Nor the getters recording looks up on its own: `then`, `toJSON`, `constructor`, a function's `name`.
    const ran: string[] = [];
    class Model {
      id = 1;
      get then() {
        ran.push('then');
        return undefined;
      }
    }
    class Named {
      id = 3;
      static get name() {
        ran.push('name');
        return 'Named';
      }
    }
    Object.defineProperty(Named.prototype, 'constructor', {
      get() {
        ran.push('constructor');
        return Named;
      },
    });
    const ownToJSON = {
      a: 1,
      get toJSON() {
        ran.push('toJSON');
        return undefined;
      },
    };
    expect(json({ model: new Model(), named: new Named(), ownToJSON, fn: Named })).toEqual({
      model: '[Model (thenable)]',
      named: { id: 3 },
      ownToJSON: { a: 1, toJSON: '[getter]' },
      fn: '[Function]',
    });
    expect(ran).toEqual([]);
    let trapped = 0;
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          trapped++;
          throw new Error('no keys for you');
        },
        get() {
          trapped++;
          return 1;
        },
        getPrototypeOf() {
          trapped++;
          return Object.prototype;
        },
      },
    );
    expect(json({ p: hostile })).toEqual({ p: '[Proxy]' });
    expect(trapped).toBe(0);
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    expect(json({ r: revocable.proxy })).toEqual({ r: '[Proxy]' });
  });

  test('an object inheriting from a Proxy is recorded by its own fields: no trap runs (instanceof, then/toJSON lookups would)', () => {
    const trapped: PropertyKey[] = [];
    const handler = new Proxy({}, { get: (_, trap: keyof typeof Reflect) => (...args: unknown[]) => (trapped.push(trap), (Reflect[trap] as (...a: unknown[]) => unknown)(...args)) });
    const proto = new Proxy({ inherited: 1, toJSON: () => 'from the proxy' }, handler);
    const child = Object.create(Object.create(proto), { own: { value: 'yes', enumerable: true } });
    expect(json({ child })).toEqual({ child: { own: 'yes' } });
    expect(trapped).toEqual([]);
  });

  test('a proxy recorded as a whole value is described', () => {
    expect(JSON.parse(serialize(new Proxy({ a: 1 }, {}), { maxChars: 1000 }))).toBe('[Proxy]');
  });

  test('very large values are truncated with a marker, within the limit', () => {
    const big = { items: Array.from({ length: 100_000 }, (_, i) => ({ i, text: 'lorem ipsum dolor' })) };
    const out = serialize(big, { maxChars: 10_000 });
    expect(out.length).toBeLessThan(10_200);
    const parsed = JSON.parse(out);
    expect(typeof parsed).toBe('string');
    expect(parsed).toContain(TRUNCATION_MARKER);
    const hugeString = 'x'.repeat(5_000_000);
    const s = serialize(hugeString, { maxChars: 1000 });
    expect(s.length).toBeLessThan(1200);
  });

  test('deep nesting is cut at the depth limit', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 10_000; i++) {
      deep.next = {};
      deep = deep.next as Record<string, unknown>;
    }
    const out = serialize(root, { maxChars: 1_000_000, maxDepth: 10 });
    expect(out).toContain('[Max depth]');
  });

  test('huge arrays stop at the node budget', () => {
    const arr = new Array(10_000_000).fill(0);
    const out = json(arr, 1_000_000);
    expect(Array.isArray(out)).toBe(true);
    expect(out.at(-1)).toMatch(/more items\]$/);
  });
});
