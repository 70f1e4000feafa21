// Non-generator functions that return iterators and iterables: a Map iterator, a Peekable
// class with its own methods and Symbol.toStringTag, a plain iterable object.
import { attempt, type Log } from './_support.js';

class Peekable<T> implements IterableIterator<T> {
  private buffered: IteratorResult<T> | undefined;
  constructor(
    private readonly source: Iterator<T>,
    private readonly onPull: () => void,
  ) {}
  peek(): IteratorResult<T> {
    return (this.buffered ??= this.pull());
  }
  next(): IteratorResult<T> {
    const result = this.buffered ?? this.pull();
    this.buffered = undefined;
    return result;
  }
  private pull(): IteratorResult<T> {
    this.onPull();
    return this.source.next();
  }
  [Symbol.iterator](): this {
    return this;
  }
  get [Symbol.toStringTag](): string {
    return 'Peekable';
  }
}

class Catalog {
  private readonly items = new Map([
    ['apple', 3],
    ['pear', 5],
    ['plum', 7],
  ]);
  pulls = 0;

  //<traced>
  keys(): MapIterator<string> {
    return this.items.keys();
  }

  //<traced>
  peekable(): Peekable<number> {
    return new Peekable(this.items.values(), () => this.pulls++);
  }

  //<traced>
  entries(): { size: number; [Symbol.iterator](): Iterator<[string, number]> } {
    const items = this.items;
    return { size: items.size, [Symbol.iterator]: () => items.entries() };
  }
}

export async function main(log: Log) {
  const catalog = new Catalog();

  const keys = catalog.keys();
  attempt(log, 'keys: toString tag', () => Object.prototype.toString.call(keys));
  attempt(log, 'keys: Map Iterator prototype', () => Object.getPrototypeOf(keys) === Object.getPrototypeOf(new Map().keys()));
  attempt(log, 'keys: first', () => keys.next().value);
  attempt(log, 'keys: rest', () => [...keys]);

  const peekable = catalog.peekable();
  await new Promise((resolve) => setTimeout(resolve, 5));
  log(['pulls before the program used it', catalog.pulls]);
  attempt(log, 'peekable: instanceof Peekable', () => peekable instanceof Peekable);
  attempt(log, 'peekable: String()', () => String(peekable));
  attempt(log, 'peekable: own peek method', () => typeof peekable.peek);
  attempt(log, 'peekable: peek', () => peekable.peek().value);
  attempt(log, 'peekable: peek again', () => peekable.peek().value);
  attempt(log, 'peekable: next', () => peekable.next().value);
  attempt(log, 'peekable: rest', () => [...peekable]);
  log(['pulls', catalog.pulls]);

  const entries = catalog.entries();
  attempt(log, 'entries: own size', () => entries.size);
  attempt(log, 'entries: spread', () => [...entries]);
  attempt(log, 'entries: spread twice (re-iterable)', () => [...entries].length);
}
