// How deep a traced recursive method can go before the stack overflows, next to the same
// method untraced and the cheapest possible context-propagating wrapper (one
// AsyncLocalStorage.run per call), all measured in this process. And an async recursive method
// (each level calls the next before its first await) run to the overflow, several times: the
// RangeError must reject into the caller's catch as untraced. (The promise observer's hook once
// turned that overflow into a process crash, exit code 7: this program used to stay sync.)
import { AsyncLocalStorage } from 'node:async_hooks';
import { errorOf, type Log, type Metric } from './_support.js';

class Diver {
  deepest = 0;

  //<traced>
  dive(depth: number): number {
    this.deepest = depth;
    return this.dive(depth + 1) + 1;
  }

  plainDive(depth: number): number {
    this.deepest = depth;
    return this.plainDive(depth + 1) + 1;
  }

  //<traced>
  async asyncDive(depth: number): Promise<number> {
    this.deepest = depth;
    return 1 + (await this.asyncDive(depth + 1));
  }

  async plainAsyncDive(depth: number): Promise<number> {
    this.deepest = depth;
    return 1 + (await this.plainAsyncDive(depth + 1));
  }

  floorDive(depth: number): number {
    this.deepest = depth;
    return this.floorDive(depth + 1) + 1;
  }
}

const als = new AsyncLocalStorage<number>();
const floor = Diver.prototype.floorDive;
Diver.prototype.floorDive = function (this: Diver, depth: number): number {
  return als.run(depth, () => floor.call(this, depth));
};

function deepest(diver: Diver, dive: () => number): { depth: number; error: string } {
  diver.deepest = 0;
  try {
    dive();
    return { depth: diver.deepest, error: 'returned' };
  } catch (error) {
    return { depth: diver.deepest, error: errorOf(error).split(':')[0]! };
  }
}

async function deepestAsync(diver: Diver, dive: () => Promise<number>): Promise<{ depth: number; error: string }> {
  diver.deepest = 0;
  try {
    await dive();
    return { depth: diver.deepest, error: 'returned' };
  } catch (error) {
    return { depth: diver.deepest, error: errorOf(error).split(':')[0]! };
  }
}

export async function main(log: Log, metric: Metric) {
  const diver = new Diver();
  const best = { plain: 0, floor: 0, traced: 0 };
  const errors = new Set<string>();
  // Best of three: frame sizes shrink once the code is optimized.
  for (let round = 0; round < 3; round++) {
    const plain = deepest(diver, () => diver.plainDive(0));
    const floorRun = deepest(diver, () => diver.floorDive(0));
    const traced = deepest(diver, () => diver.dive(0));
    best.plain = Math.max(best.plain, plain.depth);
    best.floor = Math.max(best.floor, floorRun.depth);
    best.traced = Math.max(best.traced, traced.depth);
    errors.add(`plain ${plain.error}`).add(`traced ${traced.error}`);
  }
  const asyncBest = { plain: 0, traced: 0 };
  const asyncErrors = new Set<string>();
  for (let round = 0; round < 3; round++) {
    const plain = await deepestAsync(diver, () => diver.plainAsyncDive(0));
    const traced = await deepestAsync(diver, () => diver.asyncDive(0));
    asyncBest.plain = Math.max(asyncBest.plain, plain.depth);
    asyncBest.traced = Math.max(asyncBest.traced, traced.depth);
    asyncErrors.add(`plain ${plain.error}`).add(`traced ${traced.error}`);
  }
  metric('plainDepth', best.plain);
  metric('alsFloorDepth', best.floor);
  metric('tracedDepth', best.traced);
  metric('plainAsyncDepth', asyncBest.plain);
  metric('tracedAsyncDepth', asyncBest.traced);
  log(['what the overflow threw', [...errors].sort()]);
  log(['what the async overflow rejected with', [...asyncErrors].sort()]);
}
