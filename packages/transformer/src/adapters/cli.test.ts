// `tracewright-rewrite` as a real process over a real tree.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from './__tests__/builds.js';
import { runCli } from './cli.js';
import { REPO, SOURCE_MODE, originalPosition, runNode, scratchDir, removeScratchDirs } from './__tests__/workspace.js';

afterAll(removeScratchDirs);

const CLI = join(REPO, 'packages/transformer/src/adapters/cli-main.ts');
const cli = (...args: string[]) => runNode([...SOURCE_MODE, CLI, ...args]);

const TRACED = `export function plain(x: number): number {
  return x;
}

// @trace
export function double(x: number): number {
  return x * 2;
}
`;
const UNTOUCHED = `// a file without directives
export const answer = 42;
`;

describe('tracewright-rewrite', () => {
  let src: string;
  beforeAll(() => {
    src = join(scratchDir('cli'), 'src');
    writeFile(join(src, 'traced.ts'), TRACED);
    writeFile(join(src, 'nested/deep.mts'), `// @trace\nexport const deep = async (n: number) => n + 1;\n`);
    writeFile(join(src, 'untouched.ts'), UNTOUCHED);
    writeFile(join(src, 'data.json'), '{"a": 1}\n');
    writeFile(join(src, 'node_modules/dep/index.ts'), '// @trace\nexport function dep() {}\n');
  });

  it('rewrites annotated files, copies the rest byte for byte, and writes maps to the originals', async () => {
    const out = join(src, '..', 'out');
    const run = await cli(src, out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 rewritten, 2 copied');

    expect(readFileSync(join(out, 'untouched.ts'), 'utf8')).toBe(UNTOUCHED);
    expect(readFileSync(join(out, 'data.json'), 'utf8')).toBe('{"a": 1}\n');
    expect(existsSync(join(out, 'node_modules'))).toBe(false);

    const traced = readFileSync(join(out, 'traced.ts'), 'utf8');
    expect(traced).toContain('@tracewright/runtime/inject');
    expect(traced.trimEnd().endsWith('//# sourceMappingURL=traced.ts.map')).toBe(true);
    expect(readFileSync(join(out, 'nested/deep.mts'), 'utf8')).toContain('__tw$.enterIn(__tw$c0, "deep"');

    const map = JSON.parse(readFileSync(join(out, 'traced.ts.map'), 'utf8'));
    expect(map.sources).toEqual(['../src/traced.ts']);
    expect(map.sourcesContent).toEqual([TRACED]);
    // `return x * 2;` keeps a mapping to its original line 7: `return` at column 3, `x * 2` at column 10.
    const generated = traced.split('\n');
    const line = generated.findIndex((l) => l.includes('x * 2)'));
    expect(originalPosition(map, line + 1, generated[line]!.indexOf('return') + 1)).toEqual({ line: 7, column: 3 });
    expect(originalPosition(map, line + 1, generated[line]!.indexOf('x * 2') + 1)).toEqual({ line: 7, column: 10 });
  });

  it('--check lists every traced site with file:line:column and writes nothing', async () => {
    const run = await cli(src, '--check');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter((l) => l.includes(': '))).toEqual([
      'nested/deep.mts:2:21: function deep',
      'traced.ts:6:1: function double',
      'tracewright-rewrite: 2 traced site(s) in 2 file(s)',
    ]);
  });

  it('--check exits non-zero on an error-severity diagnostic and names file:line:column', async () => {
    const bad = join(scratchDir('cli-bad'), 'src');
    writeFile(join(bad, 'ok.ts'), TRACED);
    writeFile(join(bad, 'bad.ts'), 'export const x = 1;\n// @trace(oops\nexport function f() {}\n');
    const run = await cli(bad, '--check');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^error: ${join(bad, 'bad.ts').replace(/[.]/g, '\\.')}:2:4: `, 'm'));
  });

  it('rejects bad usage with exit code 2', () => {
    const usage = (...argv: string[]) => {
      const err: string[] = [];
      const code = runCli(argv, { stdout: () => undefined, stderr: (line) => err.push(line) });
      return { code, stderr: err.join('\n') };
    };
    expect(usage(src)).toEqual({ code: 2, stderr: expect.stringContaining('usage: tracewright-rewrite') });
    expect(usage(src, 'x', '--watch')).toEqual({ code: 2, stderr: expect.stringContaining('unknown option --watch') });
    expect(usage(src, src)).toEqual({ code: 2, stderr: expect.stringContaining('outDir must differ from srcDir') });
  });
});
