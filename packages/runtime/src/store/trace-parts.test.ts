import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordDistributedTrace } from '../core/__tests__/distributed-trace.js';
import { useMemoryDestination } from '../core/__tests__/memory.js';
import { REMOTE_PARENT_METADATA_KEY } from '../core/remote-parent.js';
import { TRACE_USER_KEY } from '../model/constants.js';
import { LocalStoreDestination } from './local-destination.js';
import { LocalTraceStore } from './local-store.js';
import { tempDir } from '../../../../test-support/temp-dir.js';

const memory = useMemoryDestination();
const open: Array<{ shutdown(): Promise<void> } | { close(): void }> = [];
afterEach(async () => {
  for (const x of open.splice(0)) 'shutdown' in x ? await x.shutdown() : x.close();
});

const distributedTrace = (serverCalls = 1) => recordDistributedTrace(memory, serverCalls);

function writers(n: number): { root: string; dests: LocalStoreDestination[] } {
  const root = join(tempDir('tw-parts-'), 'mlruns');
  const dests = Array.from({ length: n }, () => {
    const d = new LocalStoreDestination(root);
    open.push(d);
    return d;
  });
  return { root, dests };
}

function reader(root: string): LocalTraceStore {
  const s = LocalTraceStore.open(root);
  open.push(s);
  return s;
}

describe('local store: the parts of a distributed trace merge into one trace', () => {
  for (const order of ['server part first', 'client (root) part first'] as const) {
    it(`${order}: one trace, every span, the root's TraceInfo, metadata of the other part added`, async () => {
      const { client, server } = distributedTrace();
      expect(server).toHaveLength(1);
      const { root, dests } = writers(2);
      if (order === 'server part first') {
        dests[1]!.export(server[0]!);
        await dests[1]!.flush();
        dests[0]!.export(client);
      } else {
        dests[0]!.export(client);
        await dests[0]!.flush();
        dests[1]!.export(server[0]!);
      }
      await Promise.all(dests.map((d) => d.flush()));
      const store = reader(root);
      const got = (await store.getTrace(client.info.traceId))!;
      expect(got.data.spans.map((s) => s.name).sort()).toEqual(['POST /chat', 'client', 'lookup']);
      const byName = new Map(got.data.spans.map((s) => [s.name, s]));
      expect(byName.get('POST /chat')!.parentId).toBe(byName.get('client')!.spanId);
      expect(byName.get('lookup')!.parentId).toBe(byName.get('POST /chat')!.spanId);
      expect(got.info.requestTime).toBe(client.info.requestTime);
      expect(got.info.executionDuration).toBe(client.info.executionDuration);
      expect(got.info.tags['mlflow.traceName']).toBe('client');
      expect(got.info.traceMetadata[TRACE_USER_KEY]).toBe('user-42');
      expect(got.info.traceMetadata[REMOTE_PARENT_METADATA_KEY]).toBeUndefined();

      const { traces } = await store.searchTraces({ filterString: "metadata.`mlflow.trace.user` = 'user-42'" });
      expect(traces.map((t) => t.info.traceId)).toEqual([client.info.traceId]);
      expect(traces[0]!.data.spans).toHaveLength(3);
      const infoOnly = await store.searchTraces({ includeSpans: false });
      expect(infoOnly.traces).toHaveLength(1);
      expect(infoOnly.traces[0]!.info.tags['mlflow.traceName']).toBe('client');
      expect((await store.searchTraces({ filterString: "span.name = 'lookup'" })).traces).toHaveLength(1);
    });
  }

  it('a late part (written after the root part was read) joins the trace; deleting removes every part', async () => {
    const { client, server } = distributedTrace(2);
    expect(server).toHaveLength(2);
    const { root, dests } = writers(3);
    dests[0]!.export(client);
    dests[1]!.export(server[0]!);
    await Promise.all(dests.map((d) => d.flush()));
    const store = reader(root);
    expect((await store.getTrace(client.info.traceId))!.data.spans).toHaveLength(5 - 2);
    dests[2]!.export(server[1]!);
    await dests[2]!.flush();
    expect((await store.getTrace(client.info.traceId))!.data.spans).toHaveLength(5);
    expect(await store.deleteTraces({ traceIds: [client.info.traceId] })).toBe(1);
    expect(await store.getTrace(client.info.traceId)).toBeUndefined();
    expect((await store.searchTraces({})).traces).toHaveLength(0);
  });

  it('with only server parts, the trace is still found (marked as continued from elsewhere)', async () => {
    const { server } = distributedTrace();
    const { root, dests } = writers(1);
    dests[0]!.export(server[0]!);
    await dests[0]!.flush();
    const got = (await reader(root).getTrace(server[0]!.info.traceId))!;
    expect(got.info.traceMetadata[REMOTE_PARENT_METADATA_KEY]).toBe(server[0]!.data.spans.find((s) => s.name === 'POST /chat')!.parentId);
  });
});
