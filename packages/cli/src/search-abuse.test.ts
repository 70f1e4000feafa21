/**
 * Fault and abuse suite for the search side: hostile filters, deep nesting, malformed URLs and
 * terminal control characters, against the real runtime, the real `tracewright` process and the
 * real viewer. Every case asserts a bounded time, a clear documented error (never a stack
 * overflow, a 500 or an internal-error exit), and that nothing raw reaches the terminal.
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEARCH_LIMITS } from '@tracewright/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnTs } from './__tests__/cli-process.js';
import {
  ARGV_CONTROL,
  ARGV_CONTROL_ESCAPED,
  BOTH_QUOTES_SESSION,
  CONTROL,
  CONTROL_ESCAPED,
  HOSTILE_EXPERIMENT,
  RAW_UNSAFE,
  writeHostileStore,
  type HostileStore,
} from './__tests__/hostile-traces.js';
import type { RedosResult } from './__tests__/redos-search.js';
import { openSource, type TraceSource } from './source.js';
import { startViewer, type Viewer } from './viewer/server.js';

const { maxNestingDepth, maxOrderByKeys } = SEARCH_LIMITS;
/** The control sequence as printed in a one-line field (CR/LF included, still escaped). */
const SHOWN = CONTROL_ESCAPED;

let work: string;
let store: string;
let hostile: HostileStore;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tw-abuse-'));
  store = join(work, 'mlruns');
  hostile = await writeHostileStore(store);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Output a terminal would receive: only printable text and layout newlines. */
function expectTerminalSafe(text: string): void {
  const raw = RAW_UNSAFE.exec(text);
  expect(raw, raw ? `raw U+${raw[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${raw.index}: ${JSON.stringify(text.slice(raw.index - 30, raw.index + 10))}` : '').toBeNull();
}

describe('ReDoS: hostile patterns against long values (own process, wall-clock bound)', () => {
  it('every search answers in linear time through the in-memory destination and the local store', async () => {
    const child = spawnTs(join(import.meta.dirname, '__tests__', 'redos-search.ts'), [join(work, 'redos')]);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const started = Date.now();
    const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(killer);
    expect(code, `the child did not finish within 90 s (a search never returned?)\n${stderr}`).toBe(0);
    expect(Date.now() - started).toBeLessThan(90_000);
    const results = JSON.parse(stdout) as RedosResult[];
    expect(results).toHaveLength(24);
    for (const r of results) {
      const what = `${r.reader}: ${r.filter}`;
      expect(r.ms, what).toBeLessThan(10_000);
      if (r.filter.includes('\\1')) {
        expect(r.error, what).toMatchObject({ name: 'FilterSyntaxError' });
        expect(r.error!.message).toMatch(/position 17 near '\\1': Invalid regular expression for RLIKE: backreferences/);
      } else if (r.timeoutMs !== undefined) {
        expect(r.error, what).toMatchObject({ name: 'SearchTimeoutError' });
        expect(r.error!.message).toMatch(/exceeded its time budget of 0.01 ms after examining \d+ of 20 traces/);
      } else {
        expect(r, what).toMatchObject({ count: 0 });
      }
    }
  }, 120_000);
});

describe('deep nesting at 10× the documented limits and beyond: the CLI exits 2 with the positioned error', () => {
  const tenX = maxNestingDepth * 10;
  it.each([
    ['nested (', `${'('.repeat(tenX)}tags.k = 'a'${')'.repeat(tenX)}`, maxNestingDepth, 'nests too deeply'],
    ['10,000 nested (', `${'('.repeat(10_000)}tags.k = 'a'${')'.repeat(10_000)}`, maxNestingDepth, 'nests too deeply'],
    ['10,000 chained NOT', `${'NOT '.repeat(10_000)}tags.k = 'a'`, maxNestingDepth * 4, 'nests too deeply'],
    ['10,000 unmatched (', '('.repeat(10_000), maxNestingDepth, 'nests too deeply'],
  ])('%s', async (_name, filter, position, reason) => {
    const started = Date.now();
    const r = await runCli(['traces', 'search', '--store', store, '--filter', filter]);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.code, r.stderr.slice(0, 300)).toBe(2);
    expect(r.stderr).toContain(`Invalid filter at position ${position}`);
    expect(r.stderr).toContain(reason);
    expect(r.stderr).not.toMatch(/RangeError|internal error/);
    expect(r.stderr.length).toBeLessThan(2_000); // the caret line shows the neighbourhood, not 40 KB of filter
  });

  it('10× the order_by keys', async () => {
    const args = Array.from({ length: maxOrderByKeys * 10 }, (_, i) => ['-o', `tags.k${i}`]).flat();
    const r = await runCli(['traces', 'search', '--store', store, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`order_by has ${maxOrderByKeys * 10} keys, the limit is ${maxOrderByKeys}`);
  });
});

describe('terminal control characters in every printed field', () => {
  it('traces search: the table escapes every cell; --json stays the same JSON value', async () => {
    const table = await runCli(['traces', 'search', '--store', store]);
    expect(table.code).toBe(0);
    expectTerminalSafe(table.stdout + table.stderr);
    for (const field of ['tr-', 'name', 'imported', 'user', 'session']) expect(table.stdout, field).toContain(`${field}\\u001b]0;`);

    const json = await runCli(['traces', 'search', '--store', store, '--json']);
    expectTerminalSafe(json.stdout);
    const ids = JSON.parse(json.stdout).traces.map((t: { trace_id: string }) => t.trace_id);
    expect(ids).toContain(hostile.importedTraceId); // raw value back after JSON.parse
  });

  it('traces show: trace id, name, state, user, session, span names, span types, status message, inputs, outputs', async () => {
    for (const id of [hostile.controlTraceId, hostile.importedTraceId]) {
      const r = await runCli(['traces', 'show', id, '--store', store]);
      expect(r.code, r.stderr).toBe(0);
      expectTerminalSafe(r.stdout + r.stderr);
      const out = r.stdout;
      const name = id === hostile.controlTraceId ? 'name' : 'imported';
      for (const field of [name, 'user=user', 'session=session', 'controls [AGENT', 'span', '[TYPE', 'ERROR: message']) {
        expect(out, field).toContain(`${field}${field === 'ERROR: message' ? SHOWN.slice(0, 40) : SHOWN}`);
      }
      expect(out).toContain(`in:  {"q":"input${SHOWN.slice(0, 40)}`);
      expect(out).toContain(`out: output${SHOWN.slice(0, 40)}`);
    }
    const imported = await runCli(['traces', 'show', hostile.importedTraceId, '--store', store]);
    expect(imported.stdout.split('\n')[0]).toMatch(new RegExp(`^${escapeRegExp(`tr-${ARGV_CONTROL_ESCAPED}imported  imported${SHOWN}  OK  `)}\\d{4}-`));
  });

  it('traces show --json and traces export to stdout: escaped, and parse back to the exact values', async () => {
    const show = await runCli(['traces', 'show', hostile.importedTraceId, '--store', store, '--json']);
    expectTerminalSafe(show.stdout);
    expect(JSON.parse(show.stdout).info.tags['mlflow.traceName']).toBe(`imported${CONTROL}`);
    const exported = await runCli(['traces', 'export', '--out', '-', '--store', store]);
    expect(exported.code).toBe(0);
    expectTerminalSafe(exported.stdout + exported.stderr);
    const lines = exported.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((t) => t.info.trace_id)).toContain(hostile.importedTraceId);
  });

  it('messages: store data (experiment names) and arguments are escaped too', async () => {
    const r = await runCli(['traces', 'search', '--store', store, '--experiment', 'nope']);
    expect(r.code).toBe(2);
    expectTerminalSafe(r.stderr);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1); // a newline in a name does not fake a line
    expect(r.stderr).toContain(`'exp${SHOWN}name'`);
    const missing = await runCli(['traces', 'show', `tr-${ARGV_CONTROL}`, '--store', store]);
    expect(missing.code).toBe(1);
    expectTerminalSafe(missing.stderr);
    expect(missing.stderr).toContain(`trace tr-${ARGV_CONTROL_ESCAPED} not found`);
    expect(HOSTILE_EXPERIMENT).toContain(CONTROL);
  });
});

describe('viewer: malformed URLs, hostile ids and filters answer 4xx with a message, never 500', () => {
  let source: TraceSource;
  let viewer: Viewer;
  beforeAll(async () => {
    source = await openSource({ store });
    viewer = await startViewer({ source, port: 0 });
  });
  afterAll(async () => {
    await viewer.close();
    await source.close();
  });

  /** A raw request: the path goes out exactly as written (fetch would normalize it). */
  function get(path: string): Promise<{ status: number; body: string; ms: number }> {
    const started = Date.now();
    const { port } = new URL(viewer.url);
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ms: Date.now() - started }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it.each(['/api/traces/%E0%A4%A', '/api/sessions/%E0%A4%A', '/api/traces/%', '/api/sessions/%ZZ', '/api/traces/%C0%80'])('%s → 400', async (path) => {
    const r = await get(path);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('malformed percent-encoding') });
  });

  it('a malformed percent-encoding in the query is taken literally (no 500)', async () => {
    const r = await get('/api/traces?filter=tags.k%20%3D%20%27%E0%A4%A%27');
    expect(r.status).toBe(200);
  });

  it("a session id holding both ' and \" opens (its traces only, not the LIKE decoy)", async () => {
    const r = await get(`/api/sessions/${encodeURIComponent(BOTH_QUOTES_SESSION)}`);
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body) as { session_id: string; traces: Array<{ trace_id: string }> };
    expect(body.session_id).toBe(BOTH_QUOTES_SESSION);
    expect(body.traces.map((t) => t.trace_id)).toEqual([hostile.bothQuotesTraceId]);
    // The list's session quick filter finds it too (with the user's own filter beside it).
    const listed = await get(`/api/traces?session=${encodeURIComponent(BOTH_QUOTES_SESSION)}&filter=${encodeURIComponent("trace.status = 'OK' OR trace.status = 'ERROR'")}`);
    expect(listed.status, listed.body).toBe(200);
    expect(JSON.parse(listed.body).traces.map((t: { trace_id: string }) => t.trace_id)).toContain(hostile.bothQuotesTraceId);
  });

  const tenX = maxNestingDepth * 10;
  it.each([
    ['nested (', `${'('.repeat(tenX)}tags.k = 'a'${')'.repeat(tenX)}`, maxNestingDepth],
    ['chained NOT', `${'NOT '.repeat(tenX)}tags.k = 'a'`, maxNestingDepth * 4],
    ['unmatched (', '('.repeat(tenX), maxNestingDepth],
    ['RLIKE with lookahead', "tags.t RLIKE 'a(?=b)'", 15],
  ])('filter with %s at 10× the limit → 400 with the position', async (_name, filter, position) => {
    const r = await get(`/api/traces?filter=${encodeURIComponent(filter)}`);
    expect(r.status).toBe(400);
    const body = JSON.parse(r.body) as { error_code: string; message: string };
    expect(body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(body.message).toContain(`Invalid filter at position ${position}`);
  });

  it('too many order_by keys → 400; 10,000 unmatched ( (30 KB of URL) → 4xx, not 500', async () => {
    const keys = (n: number) => Array.from({ length: n }, (_, i) => `order_by=tags.k${i}`).join('&');
    const over = await get(`/api/traces?${keys(maxOrderByKeys * 2)}`);
    expect(over.status).toBe(400);
    expect(JSON.parse(over.body).message).toContain(`order_by has ${maxOrderByKeys * 2} keys`);
    const huge = await get(`/api/traces?filter=${encodeURIComponent('('.repeat(10_000))}`);
    expect([400, 431]).toContain(huge.status);
  });
});
