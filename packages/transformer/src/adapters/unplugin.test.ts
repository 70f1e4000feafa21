// What the bundler plugin leaves alone: files without directives (the fast path) and
// dependencies under node_modules, even annotated ones.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { rollup, type Plugin as RollupPlugin } from 'rollup';
import { stripTypes, writeFile } from './__tests__/builds.js';
import { scratchDir, removeScratchDirs } from './__tests__/workspace.js';
import tracewright from './esbuild.js';
import tracewrightRollup from './rollup.js';

afterAll(removeScratchDirs);

async function bundle(entry: string, plugins: Plugin[]): Promise<string> {
  const result = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', external: ['@tracewright/*'], write: false, logLevel: 'silent', plugins });
  return result.outputFiles[0]!.text;
}

describe('the bundler plugin', () => {
  it('leaves a project without directives byte-identical', async () => {
    const dir = scratchDir('plugin-plain');
    writeFile(join(dir, 'main.ts'), `import { twice } from './lib.ts';\n// a comment that is not a directive\nexport const out: number = twice(21);\n`);
    writeFile(join(dir, 'lib.ts'), `export function twice(n: number): number {\n  return n * 2; // @tracer is not a directive either\n}\n`);
    expect(await bundle(join(dir, 'main.ts'), [tracewright()])).toBe(await bundle(join(dir, 'main.ts'), []));
  });

  it('does not rewrite dependencies under node_modules, but does rewrite the app', async () => {
    const dir = scratchDir('plugin-deps');
    writeFile(join(dir, 'node_modules/dep/package.json'), JSON.stringify({ name: 'dep', main: 'index.ts' }));
    writeFile(join(dir, 'node_modules/dep/index.ts'), `// @trace\nexport function fromDep(): number {\n  return 1;\n}\n`);
    writeFile(join(dir, 'main.ts'), `import { fromDep } from 'dep';\n// @trace\nexport function fromApp(): number {\n  return fromDep();\n}\n`);
    const out = await bundle(join(dir, 'main.ts'), [tracewright()]);
    expect(out).toContain('__tw$.enterIn(__tw$c0, "fromApp"');
    expect(out).not.toContain('"fromDep"');
    expect(readFileSync(join(dir, 'node_modules/dep/index.ts'), 'utf8')).toContain('// @trace');
  });

  it('is idempotent: registered twice (e.g. by a framework and by the user), it rewrites once', async () => {
    const dir = scratchDir('plugin-twice');
    writeFile(join(dir, 'main.ts'), `// @trace\nexport function once(n: number): number {\n  return n;\n}\n`);
    const output = async (plugins: RollupPlugin[]) => {
      const built = await rollup({ input: join(dir, 'main.ts'), external: [/^@tracewright\//], plugins: [...plugins, stripTypes()] });
      const { output: [chunk] } = await built.generate({ format: 'es' });
      return chunk.code;
    };
    const single = await output([tracewrightRollup()]);
    expect(single).toContain('__tw$.enterIn(__tw$c0, "once"');
    expect(await output([tracewrightRollup(), tracewrightRollup()])).toBe(single);
  });

  it('takes include/exclude patterns', async () => {
    const dir = scratchDir('plugin-exclude');
    writeFile(join(dir, 'main.ts'), `// @trace\nexport function kept(): number {\n  return 1;\n}\n`);
    const out = await bundle(join(dir, 'main.ts'), [tracewright({ exclude: /main\.ts$/ })]);
    expect(out).not.toContain('__tw$');
  });
});
