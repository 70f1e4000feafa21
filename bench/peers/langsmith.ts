/**
 * Peer comparison worker: LangSmith `traceable` with tracing enabled and a real `Client` in
 * manual-flush mode: runs are queued in the client's own batch queue exactly as for sending,
 * and "export" drains that queue (checks and drops) instead of posting — no network, and the
 * endpoint points at a closed loopback port in case anything tried.
 */
process.env.LANGSMITH_TRACING = 'true';
process.env.LANGSMITH_API_KEY = 'lsv2-bench-no-network';
process.env.LANGSMITH_ENDPOINT = 'http://127.0.0.1:9';

const { Client } = await import('langsmith');
const { traceable } = await import('langsmith/traceable');
const { buildScenarios, checkInputs, checkOutputs, MAX_RETAINED_SPANS, SCENARIO_IDS } = await import('./scenarios.js');
const { runWorker } = await import('./worker.js');
type Wrap = import('./scenarios.js').Wrap;
type Thunk = import('./scenarios.js').Thunk;

const client = new Client({ apiUrl: 'http://127.0.0.1:9', apiKey: 'lsv2-bench-no-network', autoBatchTracing: true, manualFlushMode: true });
interface QueueItem {
  action: string;
  item: { name?: string; inputs?: unknown; outputs?: unknown };
}
const queue = (client as unknown as { autoBatchQueue: { items: unknown[]; pop(o: object): [QueueItem[], () => void] } }).autoBatchQueue;

function exportQueued(): void {
  if (!queue.items.length) return;
  const [batch, done] = queue.pop({ upToSizeBytes: Number.POSITIVE_INFINITY, upToSize: Number.POSITIVE_INFINITY });
  for (const op of [batch[0]!, batch[batch.length - 1]!]) {
    if (op.action === 'create') checkInputs(op.item.name!, op.item.inputs, false);
    else checkOutputs(op.item.name!, op.item.outputs);
  }
  done();
}
// One run is two queued operations (create, then update with the outputs).
const pendingRuns = () => queue.items.length / 2;

const wrap: Wrap = (fn, name) => traceable(fn, { name, client, tracingEnabled: true }) as unknown as typeof fn;
const built = buildScenarios(wrap);
const scenarios: Record<string, Thunk> = {};
for (const id of SCENARIO_IDS) {
  const call = built[id];
  scenarios[id] = () => {
    if (pendingRuns() >= MAX_RETAINED_SPANS) exportQueued();
    return call();
  };
}

runWorker({ scenarios, pendingSpans: pendingRuns, exportAll: exportQueued });
