import { describe, expect, it } from 'vitest';
import { resetTracingDiagnostics, setDiagnosticLogger } from '../../index.js';
import { decodeOtlpProtobuf } from '../testing/otlp-official.js';
import { ProtoWriter } from '../otlp/protobuf-writer.js';
import { encodeTraceRequestProtobuf } from '../otlp/encode-protobuf.js';
import { artifactPathFor } from '../mlflow/artifacts.js';
import { authHeaders, resolveConnection, timeoutFromEnv } from '../mlflow/connection.js';
import { capabilitiesOf } from '../mlflow/server-info.js';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, nextRetryDelayMs } from './backoff.js';
import { BoundedQueue } from './bounded-queue.js';
import { DeliveryFailure, parseRetryAfter, serverMessage, toDeliveryFailure, withEarlierAttempt } from './failure.js';
import { DeliveryPipeline, resolvePipelineConfig } from './pipeline.js';
import { httpRequest, HttpNetworkError } from '../http/request.js';
import { RequestGroup } from '../http/request-group.js';
import { startFailureServer } from '../testing/failure-servers.js';

describe('retry policy', () => {
  it('backs off exponentially with equal jitter, capped', () => {
    const p = { ...DEFAULT_RETRY_POLICY, initialBackoffMs: 100, maxBackoffMs: 1000 };
    expect(backoffDelayMs(1, p, () => 0)).toBe(50);
    expect(backoffDelayMs(1, p, () => 1)).toBe(100);
    expect(backoffDelayMs(3, p, () => 0)).toBe(200);
    expect(backoffDelayMs(10, p, () => 1)).toBe(1000);
    expect(backoffDelayMs(10, p, () => 0)).toBe(500);
  });

  it('prefers Retry-After, and gives up past the window or the attempt budget', () => {
    const p = { ...DEFAULT_RETRY_POLICY, retryWindowMs: 10_000, maxAttempts: 5 };
    expect(nextRetryDelayMs(1, 0, 3000, p, 0)).toBe(3000);
    expect(nextRetryDelayMs(1, 0, 30_000, p, 0)).toBeUndefined();
    expect(nextRetryDelayMs(5, 0, undefined, p, 0)).toBeUndefined();
    expect(nextRetryDelayMs(2, 0, undefined, p, 9_999)).toBeUndefined();
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it('classifies failures and extracts the server message from MLflow, FastAPI and plain bodies', () => {
    const res = (status: number, body: string) => ({ status, headers: {}, body: Buffer.from(body) });
    expect(serverMessage(res(400, '{"error_code":"INVALID_PARAMETER_VALUE","message":"bad"}'))).toBe('INVALID_PARAMETER_VALUE: bad');
    expect(serverMessage(res(422, '{"detail":[{"msg":"Field required"}]}'))).toBe('[{"msg":"Field required"}]');
    expect(serverMessage(res(502, 'Bad Gateway'))).toBe('Bad Gateway');
    expect(serverMessage(res(413, ''))).toBe('payload too large');
    expect(toDeliveryFailure(new HttpNetworkError('x: connect ECONNREFUSED', 'ECONNREFUSED')).kind).toBe('retryable');
    expect(toDeliveryFailure(new TypeError('bug')).kind).toBe('rejected');
    const hangUp = toDeliveryFailure(new HttpNetworkError('POST x: socket hang up', 'ECONNRESET'));
    const cut = toDeliveryFailure(new HttpNetworkError('POST x: no complete answer within the 5 s exit budget', 'ETIMEDOUT'));
    expect(withEarlierAttempt(cut, hangUp).message).toBe('unreachable: POST x: no complete answer within the 5 s exit budget; earlier attempt: unreachable: POST x: socket hang up');
    expect(withEarlierAttempt(cut, hangUp).reason).toBe('ETIMEDOUT');
    expect(withEarlierAttempt(cut, cut)).toBe(cut);
  });
});

describe('bounded queue', () => {
  it('evicts the oldest beyond the item or weight cap, never the newest', () => {
    const q = new BoundedQueue<number>(3, 10);
    expect(q.push(1, 1)).toEqual([]);
    q.push(2, 1);
    q.push(3, 1);
    expect(q.push(4, 1)).toEqual([1]);
    expect(q.push(5, 9)).toEqual([2, 3]);
    expect(q.length).toBe(2);
    expect(q.weight).toBe(10);
    expect(q.push(6, 50)).toEqual([4, 5]);
    expect(q.take(10, 10)).toEqual([6]);
  });

  it('takes batches by count and weight, at least one item', () => {
    const q = new BoundedQueue<string>(100, 100);
    for (const [v, w] of [['a', 3], ['b', 3], ['c', 3], ['d', 20]] as const) q.push(v, w);
    expect(q.take(10, 7)).toEqual(['a', 'b']);
    expect(q.take(10, 7)).toEqual(['c']);
    expect(q.take(10, 7)).toEqual(['d']);
    for (let i = 0; i < 5000; i++) q.push(String(i), 0);
    expect(q.take(Infinity, Infinity)).toHaveLength(100);
  });
});

describe('delivery pipeline', () => {
  it('flush() resolves once everything before it is settled, without waiting for later items', async () => {
    const gates: Array<() => void> = [];
    const sent: number[][] = [];
    const pipeline = new DeliveryPipeline<number>(
      resolvePipelineConfig(
        {
          name: 'test',
          weigh: () => 1,
          maxBatchItems: 2,
          maxBatchWeight: Infinity,
          batchDelayMs: 60_000,
          concurrency: 1,
          send: (batch) => {
            sent.push(batch);
            return new Promise<void>((resolve) => gates.push(resolve));
          },
        },
        {},
      ),
    );
    pipeline.enqueue(1);
    pipeline.enqueue(2);
    let firstDone = false;
    const first = pipeline.flush().then(() => (firstDone = true));
    pipeline.enqueue(3);
    let secondDone = false;
    const second = pipeline.flush().then(() => (secondDone = true));
    while (gates.length === 0) await new Promise((r) => setImmediate(r));
    expect(sent).toEqual([[1, 2]]);
    gates.shift()!();
    await first;
    expect(secondDone).toBe(false);
    while (gates.length === 0) await new Promise((r) => setImmediate(r));
    expect(sent).toEqual([[1, 2], [3]]);
    gates.shift()!();
    await second;
    expect(firstDone && secondDone).toBe(true);
    await pipeline.shutdown();
  });

  it('rejects invalid tuning with a clear error', () => {
    expect(() => resolvePipelineConfig({ name: 'x', weigh: () => 1, maxBatchItems: 1, maxBatchWeight: 1, batchDelayMs: 0, concurrency: 1, send: async () => {} }, { concurrency: 0 })).toThrow(
      /delivery\.concurrency must be a number ≥ 1, got 0/,
    );
  });

  it('a rejected item is dropped and counted; the rest are still delivered', async () => {
    setDiagnosticLogger(null);
    resetTracingDiagnostics();
    const delivered: string[] = [];
    const pipeline = new DeliveryPipeline<string>(
      resolvePipelineConfig(
        {
          name: 'test-reject',
          weigh: () => 1,
          maxBatchItems: 1,
          maxBatchWeight: Infinity,
          batchDelayMs: 0,
          concurrency: 2,
          send: async ([item]) => {
            if (item === 'bad') throw new DeliveryFailure('HTTP 400: nope', 'rejected', undefined, 400);
            delivered.push(item!);
          },
        },
        {},
      ),
    );
    for (const x of ['a', 'bad', 'b']) pipeline.enqueue(x);
    await pipeline.flush();
    expect(delivered.sort()).toEqual(['a', 'b']);
    const { getTracingDiagnostics } = await import('../../index.js');
    expect(getTracingDiagnostics().dropped['test-reject']).toBe(1);
  });
});

describe('exit flush', () => {
  it('cuts requests in flight at the budget, shares it with traces handed in meanwhile, then lifts it', async () => {
    setDiagnosticLogger(null);
    resetTracingDiagnostics();
    const server = await startFailureServer('hung');
    const requests = new RequestGroup();
    const pipeline = new DeliveryPipeline<string>(
      resolvePipelineConfig(
        {
          name: 'exit-test',
          weigh: () => 1,
          maxBatchItems: 1,
          maxBatchWeight: Infinity,
          batchDelayMs: 0,
          concurrency: 4,
          requests,
          send: async () => {
            await httpRequest({ method: 'POST', url: server.url, body: 'x', timeoutMs: 30_000, group: requests });
          },
        },
        {},
      ),
    );
    try {
      pipeline.enqueue('a');
      await new Promise((r) => setTimeout(r, 50)); // 'a' is in flight, hanging
      const started = Date.now();
      const exit = pipeline.flushBeforeExit(400);
      pipeline.enqueue('b'); // e.g. written out by another exit hook
      await exit;
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(350);
      expect(elapsed).toBeLessThan(3_000);
      const { getTracingDiagnostics } = await import('../../index.js');
      expect(getTracingDiagnostics().dropped['exit-test']).toBe(2);
      expect(getTracingDiagnostics().errors['export to exit-test: gave up at exit (ETIMEDOUT)']).toBeGreaterThanOrEqual(1);
      // The exit is over: a program that goes on working is not held to the budget any more.
      expect(requests.deadline).toBeUndefined();
      expect(requests.holding).toBe(false);
    } finally {
      await pipeline.shutdown().catch(() => undefined);
      await server.close();
    }
  });
});

// The exit flush as users meet it (happy path and every failure shape) is proven with real
// child processes in exit-budget.test.ts.

describe('protobuf writer', () => {
  it('writes nested messages of every length class (1-, 2- and 3-byte length prefixes)', () => {
    for (const len of [0, 1, 127, 128, 16_383, 16_384, 300_000]) {
      const w = new ProtoWriter(16);
      w.begin(1).begin(2).string(1, 'x'.repeat(len)).end().end();
      const bytes = w.finish();
      // Decode by hand: tag(1,LEN) len [ tag(2,LEN) len [ tag(1,LEN) len data ] ]
      let pos = 0;
      const varint = () => {
        let v = 0;
        let shift = 0;
        for (;;) {
          const b = bytes[pos++]!;
          v += (b & 0x7f) * 2 ** shift;
          if (b < 0x80) return v;
          shift += 7;
        }
      };
      expect(varint()).toBe((1 << 3) | 2);
      const outer = varint();
      expect(pos + outer).toBe(bytes.length);
      expect(varint()).toBe((2 << 3) | 2);
      varint();
      expect(varint()).toBe((1 << 3) | 2);
      expect(varint()).toBe(len);
      expect(Buffer.from(bytes.subarray(pos)).toString()).toBe('x'.repeat(len));
    }
  });

  it('an ExportTraceServiceRequest with many spans decodes with the official definitions', () => {
    const spans = Array.from({ length: 300 }, (_, i) => ({
      traceIdHex: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanIdHex: i.toString(16).padStart(16, '0'),
      parentSpanIdHex: i ? '0000000000000000'.slice(0, 15) + '0' : undefined,
      name: `span-${i}`,
      startTimeUnixNano: 1718460461282000000n + BigInt(i),
      endTimeUnixNano: 1718460461282000999n + BigInt(i),
      attributes: [['mlflow.spanInputs', JSON.stringify({ i, text: 'ü'.repeat(i) })] as const],
      events: [],
      statusCode: 1,
      statusMessage: '',
    }));
    const decoded = decodeOtlpProtobuf(encodeTraceRequestProtobuf({ resourceAttributes: [['service.name', 's']], scopeName: 'tw', scopeVersion: '1' }, spans));
    const out = decoded.resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(out).toHaveLength(300);
    expect(out[299]!.name).toBe('span-299');
    expect(out[299]!.startTimeUnixNano).toBe('1718460461282000299');
    expect(JSON.parse(out[299]!.attributes![0]!.value.stringValue as string).text).toBe('ü'.repeat(299));
  });
});

describe('MLflow connection settings', () => {
  it('Basic wins over Bearer; workspace header; timeout env read as ms, or seconds when small', () => {
    expect(authHeaders({ MLFLOW_TRACKING_TOKEN: 't' })).toEqual({ authorization: 'Bearer t' });
    expect(authHeaders({ MLFLOW_TRACKING_TOKEN: 't', MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: 'p', MLFLOW_WORKSPACE: 'w' })).toEqual({
      authorization: `Basic ${Buffer.from('u:p').toString('base64')}`,
      'x-mlflow-workspace': 'w',
    });
    expect(timeoutFromEnv('120')).toBe(120_000);
    expect(timeoutFromEnv('45000')).toBe(45_000);
    expect(timeoutFromEnv(undefined)).toBe(30_000);
    expect(resolveConnection('https://host/mlflow/?x=1', undefined, {}).baseUrl).toBe('https://host/mlflow');
    const withCredentials = resolveConnection('https://ann:p%40ss@host:5000/', undefined, {});
    expect(withCredentials.baseUrl).toBe('https://host:5000');
    expect(withCredentials.headers.authorization).toBe(`Basic ${Buffer.from('ann:p@ss').toString('base64')}`);
  });

  it('maps artifact locations to the proxied artifact route and refuses direct stores', () => {
    expect(artifactPathFor({ 'mlflow.artifactLocation': 'mlflow-artifacts:/1/traces/tr-a/artifacts' }, 'tr-a')).toBe(
      '/api/2.0/mlflow-artifacts/artifacts/1/traces/tr-a/artifacts/traces.json',
    );
    expect(artifactPathFor({ 'mlflow.artifactLocation': 'mlflow-artifacts://host:5000/2/traces/tr-b/artifacts/' }, 'tr-b')).toBe(
      '/api/2.0/mlflow-artifacts/artifacts/2/traces/tr-b/artifacts/traces.json',
    );
    expect(() => artifactPathFor({ 'mlflow.artifactLocation': 's3://bucket/x' }, 'tr-c')).toThrow(/not served by the tracking server/);
  });

  it('gates OTLP (≥ 3.4) and gzip (≥ 3.7) on the server version', () => {
    expect(capabilitiesOf('3.3.2')).toMatchObject({ otlpSpans: false, otlpGzip: false });
    expect(capabilitiesOf('3.4.0')).toMatchObject({ otlpSpans: true, otlpGzip: false });
    expect(capabilitiesOf('3.8.1.dev0\n')).toMatchObject({ otlpSpans: true, otlpGzip: true, version: '3.8.1.dev0' });
    expect(capabilitiesOf('4.0.0')).toMatchObject({ otlpSpans: true, otlpGzip: true });
    expect(capabilitiesOf(undefined)).toMatchObject({ otlpSpans: false });
  });
});
