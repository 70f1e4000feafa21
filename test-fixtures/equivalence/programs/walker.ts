// A superjson-style recursive walker (the root is a parameter of every call) over a large
// object shaped like superjson's performance test, checked against superjson itself. The
// program measures its own walk time; the runner records peak RSS.
import { performance } from 'node:perf_hooks';
import superjson from 'superjson';
import { type Log, type Metric } from './_support.js';

type Annotation = [path: string, type: string];

class Walker {
  //<traced>
  walk(value: unknown, path: string, root: unknown, annotations: Annotation[]): unknown {
    if (value instanceof Date) {
      annotations.push([path, 'Date']);
      return value.toISOString();
    }
    const at = (key: string | number) => (path === '' ? String(key) : `${path}.${key}`);
    if (Array.isArray(value)) return value.map((item, i) => this.walk(item, at(i), root, annotations));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = this.walk(item, at(key), root, annotations);
      return out;
    }
    return value;
  }

  //<traced>
  serialize(root: unknown): { json: unknown; annotations: number } {
    const annotations: Annotation[] = [];
    return { json: this.walk(root, '', root, annotations), annotations: annotations.length };
  }
}

function makeData() {
  let t = Date.UTC(2024, 0, 1);
  const date = () => new Date((t += 1_000));
  const entry = () => ({ createdAt: date(), updatedAt: date(), innerNested: { createdAt: date(), updatedAt: date() } });
  return Array.from({ length: 100 }, () => ({
    createdAt: date(),
    updatedAt: date(),
    nested1: Array.from({ length: 10 }, entry),
    nested2: Array.from({ length: 10 }, entry),
  }));
}

export async function main(log: Log, metric: Metric) {
  const data = makeData();
  // What the process holds before the walk (a loader that compiles on the fly holds more).
  metric('rssBeforeWalkMb', process.memoryUsage().rss / 1_048_576);
  const started = performance.now();
  const ours = new Walker().serialize(data);
  metric('walkMs', performance.now() - started);
  const theirs = superjson.serialize(data);
  log(['same json as superjson', JSON.stringify(ours.json) === JSON.stringify(theirs.json)]);
  log(['annotations', ours.annotations]);
}
