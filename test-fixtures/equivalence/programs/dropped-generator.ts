// itertools' takewhile pulls a generator with next() and drops it once the predicate fails
// (no return()), as ordinary JavaScript does. On a hot path the dropped generators must not pin
// memory, and every call's trace must still be written.
import { islice, takewhile } from 'itertools';
import { sleep, type Log, type Metric } from './_support.js';

export const CALLS = 3_000;

interface Row {
  id: number;
  label: string;
}

class Ids {
  //<traced>
  *rows(start: number): Generator<Row> {
    for (let id = start; ; id++) yield { id, label: `row-${id}-${'x'.repeat(400)}` };
  }

  //<traced>
  firstBelow(limit: number): number[] {
    return Array.from(takewhile(this.rows(0), (row) => row.id < limit), (row) => row.id);
  }

  //<traced>
  page(offset: number, size: number): number[] {
    return Array.from(islice(this.rows(offset), size), (row) => row.id);
  }
}

declare const gc: undefined | (() => void);

async function settledHeapMb(): Promise<number> {
  // Let finalizers and pending writes run between collections.
  for (let i = 0; i < 4; i++) {
    gc?.();
    await sleep(25);
  }
  return process.memoryUsage().heapUsed / 2 ** 20;
}

export async function main(log: Log, metric: Metric) {
  const ids = new Ids();
  log(['first below 5', ids.firstBelow(5)]);
  log(['page', ids.page(10, 3)]);
  const before = await settledHeapMb();
  let total = 0;
  for (let i = 0; i < CALLS; i++) total += ids.firstBelow(20).length;
  log(['total', total]);
  metric('heapGrowthMb', (await settledHeapMb()) - before);
}
