/**
 * Transformer fixtures (issue 4). For every test-fixtures/transform/<case>/:
 *  - the ts-patch path: the real `tspc` compiles all fixtures in a temp project configured the
 *    way users configure it; the emitted JS is compared with out.tspatch.js;
 *  - the text path: rewrite() output is compared with out.text.ts;
 *  - both outputs run in child processes; their span trees must be identical to each other and
 *    to spans.json, and their results/exceptions/control-flow logs identical to the
 *    untransformed input run the same way (behaviour equivalence);
 *  - diagnostics of both paths equal diagnostics.json.
 * UPDATE_GOLDEN=1 rewrites the golden files from the current output (review the diff!).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rewrite } from '../packages/transformer/src/index.js';
import { createProject, listFixtures, runCases, tspc, type CompilerMessage } from './transform/_harness/project.js';
import type { CaseResult } from './transform/_harness/runner.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const fixtures = listFixtures();

interface Observed {
  text: string | null;
  textDiagnostics: Array<{ line: number; column: number; severity: string; message: string }>;
  tspatch: string;
  tspatchMessages: CompilerMessage[];
  results: { tspatch: CaseResult; text: CaseResult; original: CaseResult };
}
const observed = new Map<string, Observed>();

beforeAll(async () => {
  const dir = createProject();
  for (const sub of ['text', 'orig']) mkdirSync(join(dir, sub));
  const texts = new Map<string, ReturnType<typeof rewrite>>();
  for (const f of fixtures) {
    writeFileSync(join(dir, 'src', f.name + f.ext), f.source);
    writeFileSync(join(dir, 'orig', f.name + f.ext), f.source);
    const r = rewrite(f.source, `input${f.ext}`);
    texts.set(f.name, r);
    writeFileSync(join(dir, 'text', f.name + f.ext), r?.code ?? f.source);
  }
  const jsExt = (ext: string) => (ext === '.cts' ? '.cjs' : '.js');
  const compiled = tspc(dir).then(async (messages) => ({
    messages,
    results: await runCases(dir, fixtures.map((f) => ({ name: f.name, file: join(dir, 'out', f.name + jsExt(f.ext)) }))),
  }));
  const [ts, text, original] = await Promise.all([
    compiled,
    runCases(dir, fixtures.map((f) => ({ name: f.name, file: join(dir, 'text', f.name + f.ext) }))),
    runCases(dir, fixtures.map((f) => ({ name: f.name, file: join(dir, 'orig', f.name + f.ext) }))),
  ]);
  for (const f of fixtures) {
    const r = texts.get(f.name)!;
    const outFile = join(dir, 'out', f.name + jsExt(f.ext));
    observed.set(f.name, {
      text: r ? r.code : null,
      textDiagnostics: (r?.diagnostics ?? []).map(({ line, column, severity, message }) => ({ line, column, severity, message })),
      tspatch: existsSync(outFile) ? readFileSync(outFile, 'utf8') : '<not emitted>',
      tspatchMessages: ts.messages.filter((m) => m.file === `src/${f.name}${f.ext}`),
      results: { tspatch: ts.results.get(f.name)!, text: text.get(f.name)!, original: original.get(f.name)! },
    });
  }
  rmSync(dir, { recursive: true, force: true });
}, 180_000);

function golden(file: string, actual: string): void {
  if (UPDATE) writeFileSync(file, actual);
  expect(existsSync(file), `${file} is missing (run with UPDATE_GOLDEN=1)`).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

function goldenJson(file: string, actual: unknown, optional = false): void {
  const text = JSON.stringify(actual, null, 2) + '\n';
  if (optional && Array.isArray(actual) && actual.length === 0) {
    if (UPDATE && existsSync(file)) rmSync(file);
    expect(existsSync(file), `${file} should not exist: no diagnostics expected`).toBe(false);
    return;
  }
  golden(file, text);
}

describe.each(fixtures)('transform fixture $name', (f) => {
  const get = () => observed.get(f.name)!;

  it('text rewrite matches out.text.ts and keeps every line where it was', () => {
    const o = get();
    golden(join(f.dir, `out.text${f.ext}`), o.text ?? '<no changes>\n');
    if (o.text !== null) expect(o.text.split('\n').length).toBe(f.source.split('\n').length);
  });

  it('ts-patch emit matches out.tspatch.js', () => {
    golden(join(f.dir, f.ext === '.cts' ? 'out.tspatch.cjs' : 'out.tspatch.js'), get().tspatch);
  });

  it('both paths report the diagnostics in diagnostics.json, with file:line', () => {
    const o = get();
    goldenJson(join(f.dir, 'diagnostics.json'), o.textDiagnostics, true);
    const fromTsc = o.tspatchMessages
      .filter((m) => m.code === 9001)
      .map((m) => ({ line: m.line, column: m.column, severity: m.severity, message: m.message.replace(/^tracewright: /, '') }));
    expect(fromTsc).toEqual(o.textDiagnostics);
    expect(o.tspatchMessages.filter((m) => m.code !== 9001), 'fixture must type-check').toEqual([]);
  });

  it('spans: ts-patch and text outputs produce the tree in spans.json', () => {
    const { tspatch, text } = get().results;
    expect(tspatch, 'ts-patch output did not run').toBeDefined();
    expect(text, 'text output did not run').toBeDefined();
    goldenJson(join(f.dir, 'spans.json'), tspatch.traces);
    expect(text.traces).toEqual(tspatch.traces);
    expect(tspatch.internalErrors).toEqual({});
    expect(text.internalErrors).toEqual({});
  });

  it('behaviour: results, exceptions and control flow identical to the untransformed input', () => {
    const { tspatch, text, original } = get().results;
    expect(original, 'untransformed input did not run').toBeDefined();
    expect(tspatch.outcome).toEqual(original.outcome);
    expect(tspatch.log).toEqual(original.log);
    expect(text.outcome).toEqual(original.outcome);
    expect(text.log).toEqual(original.log);
  });
});
