/**
 * Format versions and damaged records: files carry a format header, a newer version is named
 * clearly and skipped, files written before headers existed are still read, and a checksum-valid
 * record of any JSON shape that is not a record is skipped and reported, never fatal.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getTracingDiagnostics, resetTracingDiagnostics, setDiagnosticLogger } from '../core/diagnostics.js';
import { runTs, syntheticTrace } from './__tests__/fixtures.js';
import { STORE_FORMAT_VERSION } from './format.js';
import { encodeFrame, scanFrames } from './frame.js';
import { EXPERIMENTS_FILE, tracesDir } from './layout.js';
import { LocalStoreDestination } from './local-destination.js';
import { LocalTraceStore } from './local-store.js';
import { tempDir } from '../../../../test-support/temp-dir.js';

const tempRoot = () => join(tempDir('tw-format-'), 'mlruns');
const NEXT = STORE_FORMAT_VERSION + 1;
const logs: string[] = [];
beforeEach(() => {
  resetTracingDiagnostics();
  logs.length = 0;
  setDiagnosticLogger((m) => logs.push(m));
});
afterEach(() => setDiagnosticLogger((m) => console.warn(m)));

async function storeWith(count: number, root = tempRoot()): Promise<{ root: string; ids: string[] }> {
  const d = new LocalStoreDestination(root);
  const traces = Array.from({ length: count }, (_, i) => syntheticTrace(i, { user: `u${i}` }));
  for (const t of traces) d.export(t);
  await d.shutdown();
  return { root, ids: traces.map((t) => t.info.traceId) };
}

const filesOf = (root: string, ext: string) => fs.readdirSync(tracesDir(root)).filter((f) => f.endsWith(ext));
const appendFrame = (path: string, text: string) => fs.appendFileSync(path, encodeFrame(Buffer.from(text)));
const firstFrame = (path: string) => JSON.parse(scanFrames(fs.readFileSync(path)).frames[0]!.payload.toString());

async function allIds(store: LocalTraceStore): Promise<string[]> {
  return (await store.searchTraces({ maxResults: 1000 })).traces.map((t) => t.info.traceId).sort();
}

const GOOD = { i: 'tr-x', x: '0', t: 1, s: 'OK', m: {}, g: {}, o: 0, l: 10, il: 2 };
/** Every JSON shape a checksum-valid index record could have that is not a record. */
const BAD_RECORDS: Array<[string, string]> = [
  ['null', 'null'],
  ['an array', '[]'],
  ['an array of a record', JSON.stringify([GOOD])],
  ['an empty object', '{}'],
  ['a string', '"tr-1"'],
  ['a number', '42'],
  ['a boolean', 'true'],
  ['not JSON', '{"i":'],
  ...Object.keys(GOOD).map((k): [string, string] => [`null ${k}`, JSON.stringify({ ...GOOD, [k]: null })]),
  ...(['i', 'x', 's', 'm', 'g', 'o', 'l', 'il'] as const).map((k): [string, string] => [`missing ${k}`, JSON.stringify({ ...GOOD, [k]: undefined })]),
  ['numeric trace id', JSON.stringify({ ...GOOD, i: 5 })],
  ['empty trace id', JSON.stringify({ ...GOOD, i: '' })],
  ['string time', JSON.stringify({ ...GOOD, t: '1' })],
  ['unknown state', JSON.stringify({ ...GOOD, s: 'WEIRD' })],
  ['metadata value not a string', JSON.stringify({ ...GOOD, m: { 'mlflow.trace.user': 7 } })],
  ['tags an array', JSON.stringify({ ...GOOD, g: ['a'] })],
  ['negative offset', JSON.stringify({ ...GOOD, o: -1 })],
  ['fractional length', JSON.stringify({ ...GOOD, l: 1.5 })],
  ['info longer than body', JSON.stringify({ ...GOOD, il: 11 })],
  ['string duration', JSON.stringify({ ...GOOD, d: '3' })],
  ['numeric client request id', JSON.stringify({ ...GOOD, c: 3 })],
  ['a seal with extra fields', JSON.stringify({ seal: true, i: 'x' })],
  ['a format header in the middle', JSON.stringify({ format: 'tracewright-store', version: 1, kind: 'index' })],
];

describe('store format version', () => {
  it('new index, segment and tombstone files start with a version header; experiments.json carries it too', async () => {
    const { root, ids } = await storeWith(2);
    const store = LocalTraceStore.open(root);
    await store.deleteTraces({ traceIds: [ids[0]!] });
    store.getOrCreateExperiment('versioned');
    const expected = (kind: string) => ({ format: 'tracewright-store', version: STORE_FORMAT_VERSION, kind });
    expect(firstFrame(join(tracesDir(root), filesOf(root, '.idx')[0]!))).toEqual(expected('index'));
    expect(firstFrame(join(tracesDir(root), filesOf(root, '.seg')[0]!))).toEqual(expected('segment'));
    expect(firstFrame(join(tracesDir(root), 'deleted.log'))).toEqual(expected('tombstones'));
    expect(JSON.parse(fs.readFileSync(join(root, EXPERIMENTS_FILE), 'utf8')).format_version).toBe(STORE_FORMAT_VERSION);
    expect(await allIds(store)).toEqual([ids[1]]);
    expect(store.problems()).toEqual([]);
    store.close();
  });

  it('reads a store written before format headers existed (golden files from the previous writer)', async () => {
    const root = tempRoot();
    fs.cpSync(new URL('./__tests__/pre-header-store', import.meta.url), root, { recursive: true });
    const store = LocalTraceStore.open(root);
    const { traces } = await store.searchTraces({ filterString: "tags.fixture = 'pre-header'" });
    expect(traces.map((t) => t.info.traceMetadata['mlflow.trace.user']).sort()).toEqual(['legacy-user-1', 'legacy-user-2']); // user-0 was deleted
    for (const t of traces) expect(t.data.spans).toHaveLength(2);
    expect(store.problems()).toEqual([]);
    store.close();
  });

  it('a file of a newer format version is skipped with a message naming both versions; the rest of the store reads', async () => {
    const { root, ids } = await storeWith(3);
    // A pair written by a hypothetical next version (its records may mean something else).
    const newer = join(tracesDir(root), 'zz0-1-00000000');
    fs.writeFileSync(`${newer}.idx`, encodeFrame(Buffer.from(JSON.stringify({ format: 'tracewright-store', version: NEXT, kind: 'index' }))));
    appendFrame(`${newer}.idx`, JSON.stringify({ ...GOOD, i: 'tr-from-next' }));
    fs.writeFileSync(`${newer}.seg`, '');
    const store = LocalTraceStore.open(root);
    expect(await allIds(store)).toEqual([...ids].sort());
    const [problem] = store.problems();
    expect(problem).toMatchObject({ kind: 'newer-format', file: `${newer}.idx` });
    expect(problem!.message).toMatch(new RegExp(`store format version ${NEXT} by a newer tracewright.*versions up to ${STORE_FORMAT_VERSION}.*Upgrade @tracewright/runtime`));
    expect(logs.join('\n')).toMatch(`format version ${NEXT}`);
    expect(getTracingDiagnostics().errors['local store format']).toBe(1);
    store.close();
  });

  it('experiments.json of a newer version is read, but never rewritten by an older writer (clear error)', () => {
    const root = tempRoot();
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(join(root, EXPERIMENTS_FILE), JSON.stringify({ format_version: NEXT, experiments: [{ experiment_id: '4', name: 'x', lifecycle_stage: 'active' }] }));
    const store = LocalTraceStore.open(root);
    expect(store.getOrCreateExperiment('x')).toBe('4');
    expect(() => store.getOrCreateExperiment('y')).toThrow(new RegExp(`format version ${NEXT}, written by a newer tracewright.*upgrade`));
  });
});

describe('damaged records of every JSON shape', () => {
  it('each checksum-valid index record that is not a record is skipped and reported; the store stays readable', async () => {
    const { root, ids } = await storeWith(2);
    const idx = join(tracesDir(root), filesOf(root, '.idx')[0]!);
    for (const [, text] of BAD_RECORDS) appendFrame(idx, text);
    // A good record after all of them: reading goes on past the damage.
    const later = await storeWith(1);
    const laterIdx = join(tracesDir(later.root), filesOf(later.root, '.idx')[0]!);
    const laterSeg = join(tracesDir(later.root), filesOf(later.root, '.seg')[0]!);
    const name = filesOf(root, '.idx')[0]!.replace('.idx', '');
    fs.copyFileSync(laterSeg, join(tracesDir(root), `${name}-b.seg`));
    fs.copyFileSync(laterIdx, join(tracesDir(root), `${name}-b.idx`));

    const store = LocalTraceStore.open(root);
    expect(await allIds(store)).toEqual([...ids, ...later.ids].sort());
    const problems = store.problems();
    expect(problems.filter((p) => p.kind === 'damaged-record' && p.file === idx)).toHaveLength(BAD_RECORDS.length);
    expect(problems.map((p) => p.message).join('\n')).toMatch(/null, not an object/);
    expect(getTracingDiagnostics().errors['local store read']).toBe(BAD_RECORDS.length);
    // Every read path works: get, filters on the index, on body-only metadata, on spans, delete.
    expect((await store.getTrace(ids[0]!))?.info.traceId).toBe(ids[0]);
    await expect(store.searchTraces({ filterString: "metadata.`mlflow.trace.user` = 'u1'" })).resolves.toMatchObject({ traces: [{ info: { traceId: ids[1] } }] });
    await expect(store.searchTraces({ filterString: "metadata.`mlflow.traceInputs` LIKE '%question%'" })).resolves.toBeDefined();
    await expect(store.searchTraces({ filterString: "span.name = 'step_1'" })).resolves.toBeDefined();
    expect(await store.deleteTraces({ traceIds: [ids[0]!] })).toBe(1);
    store.close();
  });

  it('a body that is valid JSON but not a trace is reported, not thrown, on every read path', async () => {
    const { root } = await storeWith(1);
    const dir = tracesDir(root);
    const base = join(dir, 'zz1-1-00000001');
    const bodies = ['null', '[]', '{"info":null,"data":null}', '"x"'];
    let seg = Buffer.alloc(0);
    let idx = Buffer.alloc(0);
    bodies.forEach((body, n) => {
      const frame = encodeFrame(Buffer.from(body));
      idx = Buffer.concat([idx, encodeFrame(Buffer.from(JSON.stringify({ ...GOOD, i: `tr-bad-body-${n}`, m: { 'mlflow.traceInputs': 'x' }, o: seg.length, l: frame.length, il: 1 })))]);
      seg = Buffer.concat([seg, frame]);
    });
    fs.writeFileSync(`${base}.seg`, seg);
    fs.writeFileSync(`${base}.idx`, idx);
    const store = LocalTraceStore.open(root);
    expect(await store.getTrace('tr-bad-body-0')).toBeUndefined();
    await expect(store.searchTraces({ filterString: "metadata.`mlflow.traceInputs` LIKE '%x%'" })).resolves.toBeDefined();
    await expect(store.searchTraces({ filterString: "span.name = 'x'" })).resolves.toBeDefined();
    await expect(store.searchTraces({ includeSpans: false })).resolves.toBeDefined();
    expect(store.problems().filter((p) => p.file === `${base}.seg`).length).toBeGreaterThanOrEqual(bodies.length);
    store.close();
  });

  it('tombstones of the wrong shape are skipped and reported; valid ones still apply', async () => {
    const { root, ids } = await storeWith(3);
    const log = join(tracesDir(root), 'deleted.log');
    for (const text of ['null', '[]', '{"d":5}', '{"d":[1,2]}', '"tr"', '{"d":']) appendFrame(log, text);
    appendFrame(log, JSON.stringify({ d: [ids[2]] }));
    const store = LocalTraceStore.open(root);
    expect(await allIds(store)).toEqual([ids[0], ids[1]].sort());
    expect(store.problems().filter((p) => p.file === log && p.kind === 'damaged-record')).toHaveLength(6);
    store.close();
  });

  it('an .idx path that is a directory (and a deleted.log that is one) is reported, the rest reads', async () => {
    const { root, ids } = await storeWith(2);
    fs.mkdirSync(join(tracesDir(root), 'zz2-1-00000002.idx'));
    fs.mkdirSync(join(tracesDir(root), 'deleted.log'));
    const store = LocalTraceStore.open(root);
    expect(await allIds(store)).toEqual([...ids].sort());
    expect(store.count()).toBe(2);
    expect(store.problems().map((p) => p.kind)).toEqual(['unreadable', 'unreadable']);
    expect(store.problems()[0]!.message).toMatch(/EISDIR/);
    store.close();
  });

  it('experiments.json entries of the wrong shape are left out, not fatal', () => {
    const root = tempRoot();
    fs.mkdirSync(root, { recursive: true });
    for (const text of ['null', '[]', '"x"', '{"experiments":null}', '{"experiments":[null,5,{"name":"no id"},{"experiment_id":"3","name":"ok","tags":null}]}']) {
      fs.writeFileSync(join(root, EXPERIMENTS_FILE), text);
      const names = LocalTraceStore.open(root).listExperiments().map((e) => e.name);
      expect(names[0]).toBe('Default');
      if (text.includes('"ok"')) expect(names).toEqual(['Default', 'ok']);
    }
  });

  it('the CLI reads a store with damaged records: exit 0, the good traces listed, the damage named on stderr', async () => {
    const { root, ids } = await storeWith(2);
    const idx = join(tracesDir(root), filesOf(root, '.idx')[0]!);
    for (const text of ['null', '[]', '{}', '"s"', '7', JSON.stringify({ ...GOOD, m: null })]) appendFrame(idx, text);
    const cli = new URL('../../../cli/src/main.ts', import.meta.url);
    const r = await runTs(cli, ['traces', 'search', '--store', root], { env: { NO_COLOR: '1', MLFLOW_TRACKING_URI: '' } });
    expect(r.code).toBe(0);
    for (const id of ids) expect(r.stdout).toContain(id.slice(0, 12));
    expect(r.stderr).toMatch(/index record is null, not an object/);
  }, 30_000);
});
