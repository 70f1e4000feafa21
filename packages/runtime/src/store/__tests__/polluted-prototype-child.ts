// A program whose dependencies put enumerable keys on Object.prototype (a non-string one and a
// string one, as prototype pollution does): its traces are written to the local store, found by
// search, and exported without the inherited keys. Prints one JSON line.
import { flushTraces, InMemoryDestination, searchTraces, setDestination, trace, updateCurrentTrace, type Trace } from '@tracewright/runtime';
import { spanViewsOf } from '../../exporters/otlp/span-view.js';

const proto = Object.prototype as Record<string, unknown>;
proto.polluted = 42;
proto.region = 'eu';

const job = trace(function job(x: number) {
  updateCurrentTrace({ tags: { team: 'search' }, metadata: { 'mlflow.trace.user': 'u1' } });
  return x * 2;
});
job(1);
job(2);
await flushTraces();
const page = await searchTraces({ filterString: "tags.team = 'search'" });
const byUser = await searchTraces({ filterString: "metadata.`mlflow.trace.user` = 'u1'" });

const memory = new InMemoryDestination();
setDestination(memory);
job(3);
const exported = spanViewsOf(memory.traces[0] as Trace, { traceLevelAttributes: true }).flatMap((v) => v.attributes.map(([key]) => key));

delete proto.polluted;
delete proto.region;
console.log(JSON.stringify({ found: page.traces.length, byUser: byUser.traces.length, outputs: page.traces.map((t) => t.data.spans[0]!.outputs).sort(), inherited: exported.filter((k) => k === 'polluted' || k === 'region') }));
