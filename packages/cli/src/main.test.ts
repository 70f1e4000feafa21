/**
 * The real `tracewright` process against a real store written by a traced program
 * (a separate process). Exit codes and messages are part of the contract.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnTs, CLI_MAIN, writeSampleStore } from './__tests__/cli-process.js';

let work: string;
let store: string;
const TOTAL = 7; // 2 sessions × 2 turns + the hostile, the Anthropic and the failing trace

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tw-cli-'));
  store = join(work, 'mlruns');
  await writeSampleStore(store, 2);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('tracewright traces search', () => {
  it('prints a table of the traces with user, session and tokens', async () => {
    const r = await runCli(['traces', 'search', '--store', store]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TRACE ID\s+NAME\s+STATUS\s+START\s+DURATION\s+USER\s+SESSION\s+TOKENS$/);
    expect(lines).toHaveLength(TOTAL + 1);
    expect(r.stdout).toMatch(/answer_question\s+OK\s+.*user-1\s+session-1\s+20/);
    expect(r.stdout).toMatch(/failing_step\s+ERROR/);
  });

  it('finds the default ./mlruns from the working directory', async () => {
    const r = await runCli(['traces', 'search', '--max', '2'], { cwd: work });
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(r.stderr).toMatch(/showing the first 2/);
  });

  it('filters with an MLflow filter string and prints TraceInfoV3 JSON', async () => {
    const r = await runCli(['traces', 'search', '--store', store, '--filter', "metadata.`mlflow.trace.user` = 'user-0'", '--json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.traces).toHaveLength(2);
    for (const t of body.traces) {
      expect(t.trace_id).toMatch(/^tr-[0-9a-f]{32}$/);
      expect(t.trace_metadata['mlflow.trace.user']).toBe('user-0');
      expect(t.trace_location.mlflow_experiment.experiment_id).toBeTypeOf('string');
    }
  });

  it('orders by duration when asked', async () => {
    const r = await runCli(['traces', 'search', '--store', store, '--order-by', 'timestamp_ms ASC', '--json']);
    const times = JSON.parse(r.stdout).traces.map((t: { request_time: string }) => Date.parse(t.request_time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('rejects a bad filter with the parser message, its position and exit code 2', async () => {
    const filter = "trace.status = 'OK' AND tags.my-tag = 'x'";
    const r = await runCli(['traces', 'search', '--store', store, '--filter', filter]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/position \d+/);
    expect(r.stderr).toContain(filter);
    expect(r.stderr).toMatch(/\n\s+\^/);
  });

  it('names the missing store and the unknown experiment', async () => {
    const missing = await runCli(['traces', 'search', '--store', join(work, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`no trace store at ${join(work, 'nope')}`);
    const exp = await runCli(['traces', 'search', '--store', store, '--experiment', 'nope']);
    expect(exp.code).toBe(2);
    expect(exp.stderr).toMatch(/no experiment named 'nope'.*Default/);
  });

  it('says when a tracking server cannot be reached (exit 3)', async () => {
    const { createServer } = await import('node:net');
    const probe = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => probe.once('listening', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r)); // now nothing listens there
    const r = await runCli(['traces', 'search', '--store', `http://127.0.0.1:${port}`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^tracewright: cannot reach the tracking server .*ECONNREFUSED/);
  });

  it('rejects unknown options and bad numbers with usage', async () => {
    const r = await runCli(['traces', 'search', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--bogus'/);
    expect(r.stderr).toContain('Usage: tracewright traces search');
    const n = await runCli(['traces', 'search', '--store', store, '--max', 'ten']);
    expect(n.code).toBe(2);
    expect(n.stderr).toContain("--max must be an integer between 1 and 1000000, got 'ten'");
    const cmd = await runCli(['trace', 'search']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain("unknown command 'trace search'");
  });
});

describe('tracewright traces show', () => {
  async function idOf(filter: string): Promise<string> {
    const r = await runCli(['traces', 'search', '--store', store, '--filter', filter, '--json']);
    return JSON.parse(r.stdout).traces[0].trace_id;
  }

  it('prints the span tree with types, durations and abridged inputs/outputs', async () => {
    const id = await idOf("metadata.`mlflow.trace.user` = 'user-1'");
    const r = await runCli(['traces', 'show', id, '--store', store]);
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out.split('\n')[0]).toMatch(new RegExp(`^${id}  answer_question  OK  `));
    expect(out).toContain('user=user-1  session=session-1  tokens=20 (in 12, out 8)');
    expect(out).toMatch(/^answer_question \[AGENT\] \d/m);
    expect(out).toMatch(/^├─ retrieve \[RETRIEVER\] /m);
    expect(out).toMatch(/^├─ lookup_weather \[TOOL\] /m);
    expect(out).toMatch(/^└─ chat\.completions\.create \[CHAT_MODEL\] .*20 tok/m);
    expect(out).toMatch(/in: {2}\{"query":"(What is MLflow\?|And tracing\?)","k":2\}/);
  });

  it('escapes terminal control characters from trace content', async () => {
    const id = await idOf("metadata.`mlflow.trace.user` = 'mallory'");
    const r = await runCli(['traces', 'show', id, '--store', store]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('\\u001b[31mred');
  });

  it('shows errors on the span line', async () => {
    const id = await idOf("trace.status = 'ERROR'");
    const r = await runCli(['traces', 'show', id, '--store', store]);
    expect(r.stdout).toMatch(/failing_step \[CHAIN\] .* ERROR: TypeError: cannot handle bad input/);
  });

  it('--json prints the MLflow trace JSON with exact ns timestamps', async () => {
    const id = await idOf("metadata.`mlflow.trace.user` = 'user-0'");
    const r = await runCli(['traces', 'show', id, '--store', store, '--json']);
    expect(r.code).toBe(0);
    const raw = r.stdout.trim();
    expect(raw).toMatch(/"start_time_unix_nano":\d{19}/);
    const t = JSON.parse(raw);
    expect(t.info.trace_id).toBe(id);
    expect(t.data.spans).toHaveLength(4);
    expect(t.data.spans.every((s: { attributes: Record<string, string> }) => s.attributes['mlflow.traceRequestId'] === JSON.stringify(id))).toBe(true);
  });

  it('exits 1 naming the trace when it does not exist', async () => {
    const r = await runCli(['traces', 'show', 'tr-00000000000000000000000000000000', '--store', store]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('trace tr-00000000000000000000000000000000 not found in local store');
  });
});

describe('tracewright traces export / import / delete', () => {
  it('round-trips every trace through a JSONL file into another store', async () => {
    const file = join(work, 'all.jsonl');
    const ex = await runCli(['traces', 'export', '--store', store, '--out', file]);
    expect(ex.code).toBe(0);
    expect(ex.stderr).toContain(`exported ${TOTAL} traces`);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(TOTAL);

    const copy = join(work, 'copy');
    const im = await runCli(['traces', 'import', file, '--store', copy]);
    expect(im.stderr).toContain(`imported ${TOTAL} traces`);
    expect(im.code).toBe(0);

    const a = JSON.parse((await runCli(['traces', 'search', '--store', store, '--json', '--max', '100'])).stdout).traces;
    const b = JSON.parse((await runCli(['traces', 'search', '--store', copy, '--json', '--max', '100'])).stdout).traces;
    expect(b.map((t: { trace_id: string }) => t.trace_id).sort()).toEqual(a.map((t: { trace_id: string }) => t.trace_id).sort());
    const id = a[0].trace_id;
    const original = (await runCli(['traces', 'show', id, '--json', '--store', store])).stdout;
    const imported = (await runCli(['traces', 'show', id, '--json', '--store', copy])).stdout;
    expect(JSON.parse(imported).data).toEqual(JSON.parse(original).data);
  });

  it('refuses a file that is not MLflow trace JSON, naming the line', async () => {
    const bad = join(work, 'bad.jsonl');
    writeFileSync(bad, '{"info":{"trace_id":"tr-0123456789abcdef0123456789abcdef","request_time":"2024-01-01T00:00:00Z","state":"OK"},"data":{"spans":[]}}\nnot json\n');
    const r = await runCli(['traces', 'import', bad, '--store', join(work, 'never')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:2: not an MLflow trace JSON line`);
  });

  it('deletes by age and by count', async () => {
    const victim = join(work, 'victim');
    await writeSampleStore(victim, 1); // 5 traces
    const none = await runCli(['traces', 'delete', '--older-than', '7d', '--store', victim]);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('deleted 0 traces');
    const keep = await runCli(['traces', 'delete', '--keep', '1', '--store', victim]);
    expect(keep.stderr).toContain('deleted 4 traces');
    const all = await runCli(['traces', 'delete', '--older-than', '0s', '--store', victim]);
    expect(all.stderr).toContain('deleted 1 trace ');
    const left = await runCli(['traces', 'search', '--store', victim, '--json']);
    expect(JSON.parse(left.stdout).traces).toEqual([]);
  });

  it('says what to delete when no criterion is given, and rejects a bad age', async () => {
    const r = await runCli(['traces', 'delete', '--store', store]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('say what to delete');
    const age = await runCli(['traces', 'delete', '--older-than', 'a week', '--store', store]);
    expect(age.code).toBe(2);
    expect(age.stderr).toContain("--older-than expects an age such as 30m, 12h, 7d or 2w, got 'a week'");
  });
});

describe('tracewright ui', () => {
  it('serves the viewer on 127.0.0.1, prints its URL and stops on SIGTERM', async () => {
    const child = spawnTs(CLI_MAIN, ['ui', '--port', '0', '--store', store]);
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', () => {
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout);
        if (m) resolve(m[0]);
      });
      child.on('close', (code) => reject(new Error(`ui exited early (${code}): ${stdout}`)));
    });
    try {
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      const api = await fetch(`${url}api/traces?max=3`);
      const body = (await api.json()) as { traces: unknown[]; next_page_token?: string };
      expect(body.traces).toHaveLength(3);
      expect(body.next_page_token).toBeTypeOf('string');
    } finally {
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      child.kill('SIGTERM');
      expect(await closed).toBe(0);
    }
  });

  it('says when the port is taken', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runCli(['ui', '--port', String(port), '--store', store]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`port ${port} is already in use on 127.0.0.1`);
    } finally {
      blocker.close();
    }
  });
});
