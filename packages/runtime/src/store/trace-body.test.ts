/**
 * The store's trace body (format version 2, trace-body.ts): attribute values written after the
 * JSON, unescaped, read back exactly on every read path; version 1 bodies still read.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getTracingDiagnostics, resetTracingDiagnostics, setDiagnosticLogger } from '../core/diagnostics.js';
import { spanToJsonText } from '../model/json.js';
import { Span, SpanStatus } from '../model/span.js';
import { SpanStatusCode } from '../model/constants.js';
import type { Trace } from '../model/trace.js';
import { syntheticTrace } from './__tests__/fixtures.js';
import { scanFrames } from './frame.js';
import { tracesDir } from './layout.js';
import { LocalStoreDestination } from './local-destination.js';
import { LocalTraceStore } from './local-store.js';
import { traceBodyParts } from './trace-body.js';
import { tempDir } from '../../../../test-support/temp-dir.js';

const tempRoot = () => join(tempDir('tw-body-'), 'mlruns');
beforeEach(() => {
  resetTracingDiagnostics();
  setDiagnosticLogger(() => {});
});
afterEach(() => setDiagnosticLogger((m) => console.warn(m)));

/** Attribute values no JSON writer produces but an imported or hand-built span may hold. */
const ODD_ATTRIBUTES: Record<string, string> = {
  'mlflow.spanInputs': JSON.stringify({ q: 'caf\u00e9 \u4e2d \u{1F600}', quote: '" and \\', nl: 'a\nb' }),
  'lone.high': '"x\ud800y"', // raw lone surrogates: not UTF-8 encodable, kept inside the JSON
  'lone.low': '\udc00',
  'cut.pair': '"\ud83d', // a text cut between the halves of a pair
  empty: '',
  newline: 'line one\nline two', // a raw newline in a value, after the body's own newline
  ['__proto__']: '"own key"',
  'mlflow.spanOutputs': JSON.stringify('x'.repeat(70_000)), // past the writer's large-text size
};
/** Not text at all (a span built by hand): read back as its JSON text, as version 1 did. */
const NON_TEXT_ATTRIBUTES: Record<string, unknown> = { count: 5, flag: true, list: [1, 'two'] };

function traceWithOddAttributes(): Trace {
  const t = syntheticTrace(1, { spans: 3 });
  t.info.requestPreview = '{"q":"caf\u00e9 \u{1F600} \\" \\n"}'.repeat(30); // past any prefix a reader might decode
  t.info.responsePreview = '"x\ud800"'; // not well-formed: stays in the JSON
  const s = t.data.spans[1]!;
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(ODD_ATTRIBUTES)) Object.defineProperty(attributes, k, { value: v, enumerable: true, writable: true, configurable: true });
  Object.assign(attributes, NON_TEXT_ATTRIBUTES);
  (t.data.spans as Span[])[1] = new Span({
    traceId: s.traceId,
    spanId: s.spanId,
    parentId: s.parentId,
    name: 'odd "name"\n',
    startTimeUnixNano: s.startTimeUnixNano,
    endTimeUnixNano: s.endTimeUnixNano,
    status: new SpanStatus(SpanStatusCode.ERROR, 'failed: "quoted"'),
    encodedAttributes: attributes,
    events: [{ name: 'exception', timestamp: s.startTimeUnixNano + 5n, attributes: { 'exception.message': 'bad\n"x"' } }],
  });
  return t;
}

async function written(traces: Trace[], root = tempRoot()): Promise<LocalTraceStore> {
  const d = new LocalStoreDestination(root);
  for (const t of traces) d.export(t);
  await d.shutdown();
  return LocalTraceStore.open(root);
}

describe('trace body', () => {
  it('every attribute value reads back exactly, on every read path (whole trace, info only, span filters)', async () => {
    const odd = traceWithOddAttributes();
    const plain = syntheticTrace(2, { spans: 4 });
    const store = await written([odd, plain]);
    /** What reading gives back: attribute values that were not text become their JSON text. */
    const asRead = (span: Span) => {
      const attributes: Record<string, unknown> = {};
      for (const k of Object.getOwnPropertyNames(span.encodedAttributes)) {
        const v: unknown = span.encodedAttributes[k];
        Object.defineProperty(attributes, k, { value: typeof v === 'string' ? v : JSON.stringify(v), enumerable: true, writable: true, configurable: true });
      }
      return { text: spanToJsonText(span).replace(/"attributes":.*,"events":/s, ''), attributes };
    };
    for (const t of [odd, plain]) {
      const got = await store.getTrace(t.info.traceId);
      expect(got!.data.spans.map(asRead)).toEqual(t.data.spans.map(asRead));
      expect([got!.info.requestPreview, got!.info.responsePreview]).toEqual([t.info.requestPreview, t.info.responsePreview]);
    }
    const oddSpan = (await store.getTrace(odd.info.traceId))!.data.spans[1]!;
    expect(Object.getOwnPropertyNames(oddSpan.encodedAttributes)).toEqual([...Object.keys(ODD_ATTRIBUTES), ...Object.keys(NON_TEXT_ATTRIBUTES)]);
    expect(oddSpan.encodedAttributes).toMatchObject({ count: '5', flag: 'true', list: '[1,"two"]' });
    // Span filters read the spans through the synchronous path.
    const byName = await store.searchTraces({ filterString: "span.attributes.`lone.high` = 'x\ud800y'", includeSpans: true });
    expect(byName.traces.map((t) => t.info.traceId)).toEqual([odd.info.traceId]);
    const byInput = await store.searchTraces({ filterString: "span.attributes.`mlflow.spanInputs` LIKE '%caf\u00e9%'", includeSpans: false });
    expect(byInput.traces.map((t) => t.info.traceId)).toEqual([odd.info.traceId]);
    expect(byInput.traces[0]!.info.traceMetadata['mlflow.traceInputs']).toBe(odd.info.traceMetadata['mlflow.traceInputs']);
    // Infos alone (no spans read): the previews come from the text region too.
    const infos = await store.searchTraces({ maxResults: 10, includeSpans: false });
    for (const t of [odd, plain]) {
      const info = infos.traces.find((x) => x.info.traceId === t.info.traceId)!.info;
      expect([info.requestPreview, info.responsePreview]).toEqual([t.info.requestPreview, t.info.responsePreview]);
    }
    expect(store.problems()).toEqual([]);
    store.close();
  });

  it('attribute values are written as they are, not escaped again inside the JSON', async () => {
    const t = syntheticTrace(3, { spans: 2 });
    const root = tempRoot();
    (await written([t], root)).close();
    const seg = fs.readdirSync(tracesDir(root)).find((f) => f.endsWith('.seg'))!;
    const body = scanFrames(fs.readFileSync(join(tracesDir(root), seg))).frames[1]!.payload.toString('utf8');
    const inputs = t.data.spans[1]!.encodedAttributes['mlflow.spanInputs']!;
    expect(body).toContain(inputs);
    expect(body).not.toContain(JSON.stringify(inputs).slice(1, -1));
    const [json, texts] = [body.slice(0, body.indexOf('\n')), body.slice(body.indexOf('\n') + 1)];
    expect(JSON.parse(json).data.spans[1].attribute_texts['mlflow.spanInputs']).toBe(inputs.length);
    expect(JSON.parse(json).info.request_preview).toBeUndefined();
    expect(JSON.parse(json).info.preview_texts).toEqual({ request_preview: t.info.requestPreview!.length, response_preview: t.info.responsePreview!.length });
    expect(texts).toBe(t.info.requestPreview! + t.info.responsePreview! + t.data.spans.flatMap((s) => Object.values(s.encodedAttributes)).join(''));
  });

  it('a lone surrogate stays inside the JSON; everything else goes after the newline', () => {
    const t = traceWithOddAttributes();
    const parts = [...traceBodyParts('{}', t.data.spans, [])];
    const json = JSON.parse(parts.slice(0, parts.indexOf(']}}\n') + 1).join(''));
    expect(json.data.spans[1].attribute_texts).toMatchObject({ 'lone.high': '"x\ud800y"', 'lone.low': '\udc00', 'cut.pair': '"\ud83d', empty: 0 });
    expect(json.data.spans[1].attribute_texts.newline).toBe('line one\nline two'.length);
  });

  it('a body whose attribute texts do not add up is reported, not thrown; the other traces read', async () => {
    const [a, b] = [syntheticTrace(4, { spans: 2 }), syntheticTrace(5, { spans: 2 })];
    const root = tempRoot();
    (await written([a, b], root)).close();
    // Cut one attribute text's length short inside the checksummed frame: rewrite the frame.
    const segPath = join(tracesDir(root), fs.readdirSync(tracesDir(root)).find((f) => f.endsWith('.seg'))!);
    const buf = fs.readFileSync(segPath);
    const frame = scanFrames(buf).frames[1]!;
    const text = frame.payload.toString('utf8');
    const inputs = a.data.spans[0]!.encodedAttributes['mlflow.spanInputs']!;
    const damaged = text.replace(`"mlflow.spanInputs":${inputs.length}`, `"mlflow.spanInputs":${inputs.length + 1}`);
    expect(damaged).not.toBe(text);
    const { encodeFrame } = await import('./frame.js');
    const reframed = encodeFrame(Buffer.from(damaged));
    // Same length digits: the frame keeps its size and position (the index still points at it).
    expect(reframed.length).toBe(frame.payload.length + 12);
    fs.writeFileSync(segPath, Buffer.concat([buf.subarray(0, frame.offset), reframed, buf.subarray(frame.offset + reframed.length)]));
    const store = LocalTraceStore.open(root);
    expect(await store.getTrace(a.info.traceId)).toBeUndefined();
    expect((await store.getTrace(b.info.traceId))!.data.spans).toHaveLength(2);
    expect(store.problems()).toEqual([expect.objectContaining({ kind: 'unreadable', message: expect.stringMatching(/attribute texts/) })]);
    expect(getTracingDiagnostics().errors['local store read']).toBeGreaterThan(0);
    store.close();
  });
});

describe('a store written by format version 1 (golden files from that writer, __tests__/v1-store-make.mjs)', () => {
  it('reads whole traces, infos and span filters as that version wrote them', async () => {
    const root = tempRoot();
    fs.cpSync(new URL('./__tests__/v1-store', import.meta.url), root, { recursive: true });
    const store = LocalTraceStore.open(root);
    const { traces } = await store.searchTraces({ filterString: "tags.fixture = 'v1-store'", orderBy: ['timestamp_ms ASC'] });
    expect(traces).toHaveLength(2);
    const [first] = traces;
    expect(first!.info.traceMetadata['mlflow.trace.user']).toBe('golden-user');
    const lookup = first!.data.spans.find((s) => s.name === 'lookup')!;
    expect(lookup.outputs).toEqual({ hits: ['caf\u00e9 \u{1F600}', 'line one\nline two', 'quote " and \\ backslash'], lone: 'x\ud800y', empty: '' });
    expect(lookup.inputs).toEqual({ query: 'what is in the v1 store? \u00fc\u4e2d', options: { k: 3 } }); // `'__proto__': 'x'` in a literal sets no key
    const filtered = await store.searchTraces({ filterString: "span.name = 'lookup' AND span.type = 'RETRIEVER'", includeSpans: false });
    expect(filtered.traces).toHaveLength(2);
    expect(store.problems()).toEqual([]);
    store.close();
  });
});
