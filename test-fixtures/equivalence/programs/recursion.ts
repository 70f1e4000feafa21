// How deep a traced recursive method can go before the stack overflows, next to the same
// method untraced and the cheapest possible context-propagating wrapper (one
// AsyncLocalStorage.run per call), all measured in this process.
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
  metric('plainDepth', best.plain);
  metric('alsFloorDepth', best.floor);
  metric('tracedDepth', best.traced);
  log(['what the overflow threw', [...errors].sort()]);
}
