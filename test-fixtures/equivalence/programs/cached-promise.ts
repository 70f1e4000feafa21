// A loader that caches in-flight promises and hands the same promise to every caller.
import { attempt, type Log } from './_support.js';

class TrackedPromise<T> extends Promise<T> {}

class ConfigLoader {
  private readonly cache = new Map<string, Promise<{ key: string; value: string }>>();
  loads = 0;

  //<traced>
  getCached(key: string) {
    let pending = this.cache.get(key);
    if (!pending) {
      this.loads++;
      pending = this.load(key);
      this.cache.set(key, pending);
    }
    return pending;
  }

  peek(key: string) {
    return this.cache.get(key);
  }

  //<traced>
  tracked(value: number): TrackedPromise<number> {
    return TrackedPromise.resolve(value) as TrackedPromise<number>;
  }

  private async load(key: string) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { key, value: key.toUpperCase() };
  }
}

export async function main(log: Log) {
  const loader = new ConfigLoader();
  const a = loader.getCached('db');
  const b = loader.getCached('db');
  log(['same promise for both callers', a === b]);
  log(['same promise as the cache holds', a === loader.peek('db')]);
  log(['loads', loader.loads]);
  log(['value', await a]);
  const c = loader.getCached('db');
  log(['same promise after it settled', c === a]);
  log(['distinct in-flight promises', new Set([a, b, c]).size]);
  const t = loader.tracked(7);
  attempt(log, 'subclass instance', () => [t instanceof TrackedPromise, t.constructor.name]);
  log(['subclass value', await t]);
}
