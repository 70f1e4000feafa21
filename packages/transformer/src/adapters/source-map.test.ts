// Stack traces from rewritten code must lead back to the user's own line and column: through
// the rewriter's map (bundlers compose it), and through Node's --enable-source-maps when the
// loader rewrites on the fly.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rewrite } from '../index.js';
import { LOADER_MODE, SOURCE_MODE, originalPosition, runNode, scratchDir, removeScratchDirs } from './__tests__/workspace.js';

afterAll(removeScratchDirs);

/**
 * The original. The traced function sits on one line, so the wrapper text the rewriter inserts
 * on that line shifts the `throw` to a different generated column: only a correct map gets the
 * column back.
 */
function thrower(typed: boolean): string {
  const t = (type: string) => (typed ? `: ${type}` : '');
  return [
    `export function helper(x${t('number')})${t('number')} {`,
    '  return x * 2;',
    '}',
    '// @trace',
    `export function explode(n${t('number')})${t('number')} { const doubled = helper(n); if (doubled > 1) { throw new Error(\`boom \${doubled}\`); } return doubled; }`,
    '',
  ].join('\n');
}
const THROW_LINE = 5; // 1-based
/** 1-based column V8 reports for the throw (the `new Error` expression), per variant. */
const throwColumn = (typed: boolean) => thrower(typed).split('\n')[THROW_LINE - 1]!.indexOf('new Error') + 1;

const DRIVER = (specifier: string) => `
import { InMemoryDestination, setDestination } from '@tracewright/runtime';
import { explode } from ${JSON.stringify(specifier)};
const memory = new InMemoryDestination();
setDestination(memory);
try { explode(3); } catch (error) {
  const spans = memory.traces.flatMap((t) => t.data.spans.map((s) => ({ name: s.name, status: s.status.statusCode.replace('STATUS_CODE_', '') })));
  console.log(JSON.stringify({ stack: error.stack, spans }));
}
`;

/** line:column (1-based) of the first stack frame in `file`. */
function frameIn(stack: string, file: string): { line: number; column: number } {
  const match = new RegExp(`${file.replace(/[.]/g, '\\.')}:(\\d+):(\\d+)`).exec(stack);
  if (!match) throw new Error(`no frame in ${file}:\n${stack}`);
  return { line: Number(match[1]), column: Number(match[2]) };
}

describe('source maps of rewritten code', () => {
  it('map a throw in a traced function back to its original line and column', async () => {
    const dir = scratchDir('srcmap');
    const original = thrower(false);
    const result = rewrite(original, join(dir, 'thrower.ts'));
    expect(result).not.toBeNull();
    // The templates are plain JavaScript, so untyped input stays runnable as .mjs.
    writeFileSync(join(dir, 'thrower.mjs'), result!.code);
    writeFileSync(join(dir, 'driver.mjs'), DRIVER('./thrower.mjs'));

    const run = await runNode([...SOURCE_MODE, 'driver.mjs'], { cwd: dir });
    expect(run.stderr).toBe('');
    const { stack, spans } = JSON.parse(run.stdout);
    expect(spans).toEqual([{ name: 'explode', status: 'ERROR' }]);

    const generated = frameIn(stack, 'thrower.mjs');
    expect(generated.column).not.toBe(throwColumn(false)); // the rewrite did move it
    expect(originalPosition(JSON.parse(result!.map.toString()), generated.line, generated.column)).toEqual({ line: THROW_LINE, column: throwColumn(false) });
  });

  it('point Node stack traces at the original TypeScript under the loader (--enable-source-maps)', async () => {
    const dir = scratchDir('srcmap-loader');
    writeFileSync(join(dir, 'thrower.ts'), thrower(true));
    writeFileSync(join(dir, 'driver.ts'), DRIVER('./thrower.ts'));

    const run = await runNode(['--enable-source-maps', ...LOADER_MODE, 'driver.ts'], { cwd: dir });
    const { stack, spans } = JSON.parse(run.stdout);
    expect(spans).toEqual([{ name: 'explode', status: 'ERROR' }]);
    expect(frameIn(stack, 'thrower.ts')).toEqual({ line: THROW_LINE, column: throwColumn(true) });
  });
});
