/**
 * A worker thread for workers.test.ts: runs traced functions inside the parent's trace
 * context (workerData.traceContext) and replies with its result and how many traces it
 * exported itself (expected: none, its spans belong to the parent's trace).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InMemoryDestination } from '../../export/in-memory.js';
import { runInParentTrace, setDestination, setDiagnosticLogger, trace, updateCurrentTrace, withSpan } from '../../index.js';

interface Task {
  traceContext: Parameters<typeof runInParentTrace>[0];
  scenario: 'nested' | 'throws' | 'wait-then-nested' | 'stream-left-open';
  text: string;
}

const memory = new InMemoryDestination();
setDestination(memory);
setDiagnosticLogger(null);

const tokenize = trace(async function tokenize(text: string) {
  await new Promise((resolve) => setTimeout(resolve, text.length % 3));
  return text.split(' ');
});
const classify = trace(function classify(text: string) {
  return text.length > 8 ? 'long' : 'short';
});
const summarize = trace(async function summarize(text: string) {
  updateCurrentTrace({ tags: { summarizedBy: 'worker' } });
  const [tokens, kind] = await Promise.all([tokenize(text), classify(text)]);
  return withSpan(() => `${kind}:${tokens.length}`, { name: 'format', spanType: 'TOOL', inputs: { kind } });
});
const explode = trace(function explode(text: string): string {
  throw new RangeError(`cannot handle ${text}`);
});

const countTo = trace(function* countTo(n: number) {
  for (let i = 1; i <= n; i++) yield i;
});

const task = workerData as Task;
if (task.scenario === 'wait-then-nested') {
  await new Promise((resolve) => parentPort!.once('message', resolve));
}
let result: unknown;
if (task.scenario === 'throws') {
  result = runInParentTrace(task.traceContext, () => explode(task.text));
} else if (task.scenario === 'stream-left-open') {
  // The stream's span stays open when the worker exits: the spans that ended must still arrive.
  result = runInParentTrace(task.traceContext, () => [countTo(3).next().value, classify(task.text)]);
} else {
  result = await runInParentTrace(task.traceContext, () => summarize(task.text));
}
parentPort!.postMessage({ result, exportedInWorker: memory.traces.length });
