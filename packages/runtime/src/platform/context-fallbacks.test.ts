/**
 * The two context storages used where Node's AsyncLocalStorage is not available as is: the
 * synchronous stack (no AsyncLocalStorage at all) and the run-scoped wrapper (an
 * AsyncLocalStorage without enterWith, as workerd's), exercised directly.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { RunScopedContextStorage } from './run-scoped-context.js';
import { SyncContextStorage } from './sync-context.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('SyncContextStorage (no AsyncLocalStorage)', () => {
  it('nests and restores through synchronous calls, also when they throw', () => {
    const s = new SyncContextStorage<string>();
    expect(s.run('a', () => [s.getStore(), s.run('b', () => s.getStore()), s.getStore()])).toEqual(['a', 'b', 'a']);
    expect(() => s.run('c', () => { throw new Error('x'); })).toThrow('x');
    expect(s.getStore()).toBeUndefined();
    s.enterWith('d');
    expect([s.getStore(), s.exit(() => s.getStore())]).toEqual(['d', undefined]);
    s.disable();
    expect(s.getStore()).toBeUndefined();
  });

  it('does not carry the context across an await (the documented loss)', async () => {
    const s = new SyncContextStorage<string>();
    const seen = await s.run('a', async () => {
      const before = s.getStore();
      await tick();
      return [before, s.getStore()];
    });
    expect(seen).toEqual(['a', undefined]);
  });
});

class NoEnterWith<T> extends AsyncLocalStorage<T> {
  override enterWith(): void {
    throw new Error('asyncLocalStorage.enterWith() is not implemented');
  }
}

describe('RunScopedContextStorage (AsyncLocalStorage without enterWith)', () => {
  it('run() carries the context across awaits; enterWith() is a synchronous override', async () => {
    const s = new RunScopedContextStorage<string>(new NoEnterWith<string>());
    const seen = await s.run('a', async () => {
      s.enterWith('b');
      const overridden = s.getStore();
      s.enterWith('a'); // back to the storage's own context: the override is dropped
      await tick();
      return [overridden, s.getStore()];
    });
    expect(seen).toEqual(['b', 'a']);
    expect(s.getStore()).toBeUndefined();
  });

  it('an override set outside any run does not leak into a run, and run restores it', () => {
    const s = new RunScopedContextStorage<string>(new NoEnterWith<string>());
    s.enterWith('outer');
    expect(s.run('inner', () => s.getStore())).toBe('inner');
    expect(s.getStore()).toBe('outer');
    expect(s.exit(() => s.getStore())).toBeUndefined();
    s.enterWith(undefined as unknown as string);
    expect(s.getStore()).toBeUndefined();
  });
});
