// Code that deletes globals, as superjson's tests do to emulate an old Safari (no BigInt).
// Traced calls made meanwhile must behave as untraced ones.
import { attempt, attemptAsync, type Log } from './_support.js';

class Calculator {
  //<traced>
  add(a: number, b: number): number {
    return a + b;
  }

  //<traced>
  async total(values: number[]): Promise<number> {
    await null;
    return values.reduce((sum, v) => sum + v, 0);
  }

  //<traced>
  *countdown(from: number): Generator<number> {
    for (let i = from; i > 0; i--) yield i;
  }
}

async function calls(log: Log, calc: Calculator, stage: string): Promise<void> {
  attempt(log, `${stage}: add`, () => calc.add(1, 2));
  await attemptAsync(log, `${stage}: total`, () => calc.total([1, 2, 3]));
  attempt(log, `${stage}: countdown`, () => [...calc.countdown(3)]);
}

export async function main(log: Log) {
  const calc = new Calculator();
  const g = globalThis as Record<string, unknown>;
  const saved = { BigInt: g.BigInt, WeakRef: g.WeakRef, FinalizationRegistry: g.FinalizationRegistry };
  try {
    delete g.BigInt;
    attempt(log, 'typeof BigInt', () => typeof g.BigInt);
    await calls(log, calc, 'without BigInt');
    // Other globals a runtime might reach for lazily (weak references for abandoned spans).
    delete g.WeakRef;
    delete g.FinalizationRegistry;
    await calls(log, calc, 'without BigInt, WeakRef, FinalizationRegistry');
  } finally {
    Object.assign(g, saved);
  }
  await calls(log, calc, 'restored');
}
