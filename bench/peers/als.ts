/**
 * Peer comparison worker: the floor any context-propagating tracer pays. `floor`: one
 * AsyncLocalStorage.run per span. `json`: the same plus JSON.stringify of the named inputs and
 * of the output, kept (one small record per span) until "export" like a tracer would.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { buildScenarios, checkInputs, checkOutputs, ExportQueue, type AnyFn, type Wrap } from './scenarios.js';
import { runWorker } from './worker.js';

const mode = process.argv[2] === 'json' ? 'json' : 'floor';
interface SpanRecord {
  name: string;
  inputs: string;
  outputs?: string;
  parent?: SpanRecord;
}
const als = new AsyncLocalStorage<SpanRecord | undefined>();
const queue = new ExportQueue<SpanRecord[]>(
  (t) => t.length,
  (t) => {
    for (const s of t) {
      checkInputs(s.name, s.inputs, true);
      checkOutputs(s.name, s.outputs);
    }
  },
);
let open: SpanRecord[] = [];

function finish(span: SpanRecord, value: unknown): void {
  span.outputs = JSON.stringify(value);
  open.push(span);
  if (!span.parent) {
    queue.push(open);
    open = [];
  }
}

const floor: Wrap = (fn, name) => {
  const frame = { name };
  return function (this: unknown, ...args: unknown[]) {
    return als.run(frame as never, fn as AnyFn, ...args);
  } as typeof fn;
};

const json: Wrap = (fn, name, params) =>
  function (this: unknown, ...args: unknown[]) {
    const inputs: Record<string, unknown> = {};
    for (let i = 0; i < params.length; i++) inputs[params[i]!] = args[i];
    const span: SpanRecord = { name, inputs: JSON.stringify(inputs), parent: als.getStore()};
    return als.run(span, () => {
      const r = (fn as AnyFn).apply(this, args);
      if (r instanceof Promise) return r.then((v) => (finish(span, v), v));
      finish(span, r);
      return r;
    });
  } as typeof fn;

runWorker({
  scenarios: buildScenarios(mode === 'json' ? json : floor),
  pendingSpans: mode === 'json' ? () => queue.pendingSpans : undefined,
  exportAll: () => queue.export(),
});
