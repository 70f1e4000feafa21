/**
 * The OpenTelemetry bridge with a database instrumentation: an app with its own
 * @opentelemetry/sdk-node, @opentelemetry/instrumentation-pg and its own exporter queries
 * Postgres (PGlite served on 127.0.0.1 by @electric-sql/pglite-socket, real wire protocol)
 * with `pg` from inside a tracewright TOOL span.
 */
import { createRequire } from 'node:module';
import type * as Pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { propagation, trace, type ProxyTracerProvider } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { withSpan } from '../api/spans.js';
import { useMemoryDestination } from '../core/__tests__/memory.js';
import { waitFor } from '../exporters/testing/wait.js';
import { createOtelBridge } from './index.js';

const memory = useMemoryDestination();

// The global provider is a proxy; what an SDK registers is its delegate.
const globalProvider = () => (trace.getTracerProvider() as ProxyTracerProvider).getDelegate();
const providerBefore = globalProvider();
const bridge = createOtelBridge();
const appExporter = new InMemorySpanExporter();
let sdk: NodeSDK;
let db: PGlite;
let pgServer: PGLiteSocketServer;
let client: Pg.Client;
let uninstall: () => void;
/** What the app's own SDK registered, and whether tracewright changed it afterwards. */
let globals: { providerOfApp: unknown; sdkRegisteredItsProvider: boolean; tracewrightLeftItAlone: boolean; propagatorFields: string[] };

beforeAll(async () => {
  process.env.OTEL_METRICS_EXPORTER = 'none';
  process.env.OTEL_LOGS_EXPORTER = 'none';
  db = await PGlite.create();
  pgServer = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
  await pgServer.start();

  sdk = new NodeSDK({
    contextManager: bridge.contextManager(new AsyncLocalStorageContextManager()),
    spanProcessors: [bridge.spanProcessor, new SimpleSpanProcessor(appExporter)],
    instrumentations: [new PgInstrumentation()],
  });
  sdk.start();
  const providerOfApp = globalProvider();
  uninstall = bridge.install();
  globals = {
    providerOfApp,
    sdkRegisteredItsProvider: providerOfApp !== providerBefore,
    tracewrightLeftItAlone: globalProvider() === providerOfApp,
    propagatorFields: propagation.fields(),
  };

  // Required after start, as an app does, so the instrumentation has patched it.
  const pg = createRequire(import.meta.url)('pg') as typeof Pg;
  client = new pg.Client({ connectionString: `postgres://postgres@${pgServer.getServerConn()}/postgres` });
  await client.connect();
  await client.query('CREATE TABLE docs (id int PRIMARY KEY, body text)');
  await client.query("INSERT INTO docs VALUES (1, 'tracing across services')");
});

afterAll(async () => {
  uninstall?.();
  await client?.end();
  await pgServer?.stop();
  await db?.close();
  await sdk?.shutdown();
});

describe('OpenTelemetry bridge with instrumentation-pg', () => {
  test('the app SDK owns the global tracer provider; the bridge and install() do not replace it', () => {
    expect(globals.sdkRegisteredItsProvider).toBe(true);
    expect(globals.tracewrightLeftItAlone).toBe(true);
    expect(globalProvider()).toBe(globals.providerOfApp);
    // the SDK's default W3C propagators, untouched
    expect(globals.propagatorFields).toEqual(expect.arrayContaining(['traceparent', 'baggage']));
  });

  test('a pg query inside a TOOL span: the OTel db span is its child in the same trace, with its attributes; the app exporter still gets it', async () => {
    appExporter.reset();
    const sql = 'SELECT body FROM docs WHERE id = $1';
    const { traceId, spanId, rows } = await withSpan(async (span) => {
      const result = await client.query(sql, [1]);
      return { traceId: span.traceId, spanId: span.spanId, rows: result.rows };
    }, { name: 'search_docs', spanType: 'TOOL' });
    expect(rows).toEqual([{ body: 'tracing across services' }]);

    await waitFor(() => memory.traces.some((t) => t.info.traceId === traceId), 'the tracewright trace');
    const t = memory.traces.find((x) => x.info.traceId === traceId)!;
    expect(t.data.spans.map((s) => [s.name, s.parentId === null ? null : s.parentId === spanId ? 'tool' : s.parentId])).toEqual([
      ['search_docs', null],
      ['pg.query:SELECT postgres', 'tool'], // instrumentation-pg's span name: operation and database
    ]);
    const dbSpan = t.data.spans.find((s) => s.parentId === spanId)!;
    expect(dbSpan.traceId).toBe(traceId);
    const attr = (k: string) => dbSpan.attributes[k];
    // instrumentation-pg 0.76 writes the stable database semantic conventions
    expect(attr('db.query.text')).toBe(sql);
    expect(attr('db.system.name')).toBe('postgresql');
    expect(attr('server.address')).toBe('127.0.0.1');

    await waitFor(() => appExporter.getFinishedSpans().some((s) => s.spanContext().spanId === dbSpan.spanId), 'the app exporter');
    const exported = appExporter.getFinishedSpans().find((s) => s.spanContext().spanId === dbSpan.spanId)!;
    expect(exported.spanContext().traceId).toBe(traceId.slice(3));
    expect(exported.parentSpanContext?.spanId).toBe(spanId);
    expect(exported.attributes['db.query.text']).toBe(sql);
  });

  test('a failing query: the db span is recorded with error status under the tool span, and the error reaches the program unchanged', async () => {
    let thrown: unknown;
    const { traceId, spanId } = await withSpan(async (span) => {
      try {
        await client.query('SELECT * FROM no_such_table');
      } catch (error) {
        thrown = error;
      }
      return { traceId: span.traceId, spanId: span.spanId };
    }, { name: 'broken_tool', spanType: 'TOOL' });
    expect((thrown as { code?: string }).code).toBe('42P01'); // undefined_table, from the server
    await waitFor(() => memory.traces.some((t) => t.info.traceId === traceId), 'the tracewright trace');
    const dbSpan = memory.traces.find((x) => x.info.traceId === traceId)!.data.spans.find((s) => s.parentId === spanId)!;
    expect(dbSpan.status.statusCode).toBe('STATUS_CODE_ERROR');
  });
});
