/**
 * FIFO with two caps (items and total weight, e.g. traces and spans). Pushing past a cap
 * evicts the oldest entries: when a backend is down, the newest traces are the most useful
 * and memory stays bounded.
 */
export class BoundedQueue<T> {
  private items: T[] = [];
  private weights: number[] = [];
  private head = 0;
  private totalWeight = 0;

  constructor(
    readonly maxItems: number,
    readonly maxWeight: number,
  ) {}

  get length(): number {
    return this.items.length - this.head;
  }
  get weight(): number {
    return this.totalWeight;
  }
  peek(): T | undefined {
    return this.items[this.head];
  }

  /** Adds `item`; returns what had to be evicted (oldest first) to respect the caps. */
  push(item: T, weight: number): T[] {
    this.items.push(item);
    this.weights.push(weight);
    this.totalWeight += weight;
    const evicted: T[] = [];
    // Never evict the item just added, even if it alone is over the weight cap.
    while (this.length > 1 && (this.length > this.maxItems || this.totalWeight > this.maxWeight)) {
      evicted.push(this.shift()!);
    }
    return evicted;
  }

  /** Takes up to `maxItems` items from the front, stopping before `maxWeight` is exceeded (at least one). */
  take(maxItems: number, maxWeight: number): T[] {
    const out: T[] = [];
    let weight = 0;
    while (this.length > 0 && out.length < maxItems) {
      const w = this.weights[this.head]!;
      if (out.length > 0 && weight + w > maxWeight) break;
      weight += w;
      out.push(this.shift()!);
    }
    return out;
  }

  private shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.items[this.head]!;
    this.totalWeight -= this.weights[this.head]!;
    this.items[this.head] = undefined as T;
    this.head++;
    // Compact once the dead prefix dominates, so the arrays do not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.weights = this.weights.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
