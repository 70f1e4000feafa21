import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordDistributedTrace } from '../../core/__tests__/distributed-trace.js';
import { useMemoryDestination } from '../../core/__tests__/memory.js';
import { getTracingDiagnostics } from '../../core/diagnostics.js';
import { startFakeMlflowServer, type FakeMlflowServer } from '../testing/fake-mlflow-server.js';
import { createMlflowDestination, type MlflowDestination } from './index.js';

const memory = useMemoryDestination();
let server: FakeMlflowServer;
const destinations: MlflowDestination[] = [];

beforeEach(async () => {
  server = await startFakeMlflowServer();
});
afterEach(async () => {
  for (const d of destinations.splice(0)) await d.shutdown();
  await server.close();
});

function destination(): MlflowDestination {
  const d = createMlflowDestination({ trackingUri: server.url, experimentId: '0' });
  destinations.push(d);
  return d;
}

describe('MLflow destination: the parts of a distributed trace', () => {
  for (const order of ['server part first', 'client (root) part first'] as const) {
    it(`${order}: one trace on the server, every span, the root's TraceInfo, StartTraceV3 only by the root's process`, async () => {
      const { client, server: parts } = recordDistributedTrace(memory);
      const [clientDest, serverDest] = [destination(), destination()];
      const sends = order === 'server part first' ? [() => serverDest.export(parts[0]!), () => clientDest.export(client)] : [() => clientDest.export(client), () => serverDest.export(parts[0]!)];
      for (const send of sends) {
        send();
        await Promise.all([clientDest.flush(), serverDest.flush()]);
      }
      expect(server.violations).toEqual([]);
      expect([...server.traces.keys()]).toEqual([client.info.traceId]);
      expect(server.requestsTo('/api/3.0/mlflow/traces')).toHaveLength(1);
      const got = (await clientDest.getTrace(client.info.traceId))!;
      expect(got.data.spans.map((s) => s.name).sort()).toEqual(['POST /chat', 'client', 'lookup']);
      const byName = new Map(got.data.spans.map((s) => [s.name, s]));
      expect(byName.get('POST /chat')!.parentId).toBe(byName.get('client')!.spanId);
      expect(byName.get('lookup')!.parentId).toBe(byName.get('POST /chat')!.spanId);
      expect(got.info.tags['mlflow.traceName']).toBe('client');
      expect(got.info.state).toBe('OK');
    });
  }

  it('a server without OTLP span logging: the part is dropped and reported, the root trace is unaffected', async () => {
    await server.close();
    server = await startFakeMlflowServer({ otlp: false });
    const { client, server: parts } = recordDistributedTrace(memory);
    const d = destination();
    d.export(parts[0]!);
    d.export(client);
    await d.flush();
    expect([...server.traces.keys()]).toEqual([client.info.traceId]);
    expect(Object.keys(getTracingDiagnostics().errors).some((k) => k.includes('distributed trace part'))).toBe(true);
  });
});
