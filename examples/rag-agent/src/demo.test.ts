/**
 * The demo end to end: the agent runs as its own process (compiled with the transformer), its
 * traces land in ./mlruns of a fresh directory, and the real `tracewright` CLI reads them.
 * With built packages (CI builds first) the program is compiled by `tspc` exactly as
 * `npm run demo` does; from sources it runs through the transformer's Node loader (the same
 * rewriting core).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, runTs, type CliResult } from '../../../packages/cli/src/__tests__/cli-process.js';

const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILT = ['runtime', 'transformer', 'cli'].every((p) => existsSync(join(REPO_ROOT, 'packages', p, 'dist', 'esm', 'index.js')));

let cwd: string;
let outDir: string | undefined;
let demo: CliResult;

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'tw-demo-'));
  if (BUILT) {
    // Output inside the repository so the compiled program resolves the workspace packages.
    outDir = join(EXAMPLE, '.tmp', `test-${process.pid}`);
    execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'ts-patch', 'bin', 'tspc.js'), '-p', join(EXAMPLE, 'tsconfig.json'), '--outDir', outDir], { stdio: 'pipe' });
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [join(outDir, 'main.js')], { cwd, env: { ...process.env, MLFLOW_TRACKING_URI: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    demo = await new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  } else {
    demo = await runTs(join(EXAMPLE, 'src', 'main.ts'), [], {
      cwd,
      nodeArgs: ['--import', import.meta.resolve('@tracewright/transformer/register')],
    });
  }
  if (demo.code !== 0) throw new Error(`demo failed (${demo.code}):\n${demo.stdout}\n${demo.stderr}`);
}, 180_000); // compiles the whole example with tspc first: over a minute on a busy 2-core machine
afterAll(() => {
  rmSync(cwd, { recursive: true, force: true });
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe(`the rag-agent demo (${BUILT ? 'tspc build' : 'transformer Node loader'})`, () => {
  it('answers every question, through the fake model server and the weather tool', () => {
    expect(demo.stdout).toContain('alice: What is MLflow?\n  → MLflow is an open source platform');
    expect(demo.stdout).toContain('alice: What is the weather in Paris?\n  → The weather service says: 18°C and sunny.');
    expect(demo.stdout).toContain('bob: What is the weather in Oslo?\n  → The weather service says: 4°C with light rain.');
  });

  it('prints the trace tree made by every instrumentation style', () => {
    const out = demo.stdout;
    expect(out).toMatch(/user=alice {2}session=alice-chat-1 {2}tokens=\d+/);
    expect(out).toMatch(/^answer \[AGENT\] /m); // @Trace method
    expect(out).toMatch(/^├─ retrieve \[RETRIEVER\] /m); // @Trace method
    expect(out).toMatch(/in: {2}\{"question":"What is the weather in Paris\?","k":2\}/); // parameter names
    expect(out).toMatch(/└─ searchPassages \[RETRIEVER\] /); // // @trace function
    expect(out).toMatch(/└─ embed \[EMBEDDING\] /); // // @trace function with options
    expect(out).toMatch(/^├─ reasoning_turn \[CHAIN\] /m); // // @trace loop, one span per turn
    expect(out).toMatch(/in: {2}\{"turn":1,"iteration":1\}/);
    expect(out).toMatch(/├─ \S+ \[(LLM|CHAT_MODEL)\] .* \d+ tok/); // autologged OpenAI call
    expect(out).toMatch(/└─ tool:get_weather \[TOOL\] /); // manual span, dynamic name
  });

  it('the second agent, on the Vercel AI SDK: its call, each step\'s LLM span with tokens and the tool, under the @Trace agent', () => {
    const out = demo.stdout;
    expect(out).toContain('carol (AI SDK agent): What is the weather in Paris?\n  → The weather service says: 18°C and sunny.');
    const tree = out.slice(out.indexOf("── carol's question, answered by the AI SDK agent ──"));
    expect(tree).toMatch(/user=carol {2}session=carol-chat-1 {2}tokens=\d+/);
    expect(tree).toMatch(/^└─ ai\.generateText \[CHAIN\] /m);
    expect(tree).toMatch(/^ {3}├─ ai\.generateText\.doGenerate \[LLM\] .* \d+ tok\n.*\n.*"toolCalls":\[\{"toolCallId"/m);
    expect(tree).toMatch(/^ {3}├─ get_weather \[TOOL\] .*\n.*in: {2}\{"city":"Paris"\}\n.*out: 18°C and sunny/m);
    expect(tree).toMatch(/^ {3}└─ ai\.generateText\.doGenerate \[LLM\] .* \d+ tok/m);
  });

  it("prints searchTraces by user and how to open the viewer", () => {
    expect(demo.stdout).toContain("searchTraces({ filterString: \"metadata.`mlflow.trace.user` = 'alice'\" }) → 3 traces");
    expect(demo.stdout).toContain('npx tracewright ui');
  });
});

describe('the tracewright CLI on the demo store', () => {
  it('searches by session and experiment', async () => {
    const r = await runCli(['traces', 'search', '--experiment', 'rag-agent-demo', '--filter', "metadata.`mlflow.trace.session` = 'bob-chat-1'"], { cwd });
    expect(r.code).toBe(0);
    const rows = r.stdout.trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/answer\s+OK\s+.*bob\s+bob-chat-1\s+\d+$/);
  });

  it('shows a demo trace with the autologged LLM span inside the loop span', async () => {
    const search = await runCli(['traces', 'search', '--json', '--filter', "metadata.`mlflow.trace.user` = 'bob'", '--order-by', 'timestamp_ms ASC'], { cwd });
    const id = JSON.parse(search.stdout).traces[0].trace_id; // the weather question
    const r = await runCli(['traces', 'show', id], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/├─ reasoning_turn \[CHAIN\] .*\n│ {2}│ {2}in: .*\n│ {2}├─ \S+ \[(LLM|CHAT_MODEL)\] .*\d+ tok\n/);
    expect(r.stdout).toMatch(/tool:get_weather \[TOOL\][^\n]*\n.*in: {2}\{"city":"Oslo"\}/);
    const json = JSON.parse((await runCli(['traces', 'show', id, '--json'], { cwd })).stdout);
    expect(json.info.trace_metadata['mlflow.trace.session']).toBe('bob-chat-1');
    expect(JSON.parse(json.info.trace_metadata['mlflow.trace.tokenUsage']).total_tokens).toBeGreaterThan(0);
  });

  it('exports the demo traces and imports them into another store, experiments and all', async () => {
    const file = join(cwd, 'demo.jsonl');
    const ex = await runCli(['traces', 'export', '--out', file], { cwd });
    expect(ex.stderr).toContain('exported 6 traces');
    const copy = join(cwd, 'copy');
    const im = await runCli(['traces', 'import', file, '--store', copy], { cwd });
    expect(im.code).toBe(0);
    const r = await runCli(['traces', 'search', '--store', copy, '--filter', "metadata.`mlflow.trace.user` = 'alice'", '--json'], { cwd });
    const traces = JSON.parse(r.stdout).traces;
    expect(traces).toHaveLength(3);
    // They keep the experiment they were recorded in (not the Default one of the new store).
    expect(new Set(traces.map((t: { trace_location: { mlflow_experiment: { experiment_id: string } } }) => t.trace_location.mlflow_experiment.experiment_id))).toEqual(
      new Set([JSON.parse((await runCli(['traces', 'search', '--json', '--max', '1'], { cwd })).stdout).traces[0].trace_location.mlflow_experiment.experiment_id]),
    );
  });
});
