// The core's diagnostics through each adapter: warnings reach the bundler's warning channel,
// errors fail the build (or the import), always as `file:line:column: message`.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build as esbuildBuild } from 'esbuild';
import { rollup, type RollupLog } from 'rollup';
import { afterAll, describe, expect, it } from 'vitest';
import { listFixtures } from '../../../../test-fixtures/transform/_harness/project.js';
import { buildWithEsbuild, buildWithRollup, buildWithVite, buildWithWebpack, stripTypes, type Builder } from './__tests__/builds.js';
import { LOADER_MODE, runNode, scratchDir, removeScratchDirs } from './__tests__/workspace.js';
import tracewrightEsbuild from './esbuild.js';
import tracewrightRollup from './rollup.js';
import { rewrite, type TraceDiagnostic } from '../index.js';
import { formatDiagnostic } from './diagnostics.js';

afterAll(removeScratchDirs);

/**
 * A fixture copied into a scratch dir, with the diagnostics the core reports for it there,
 * formatted as every adapter must surface them (the adapters add nothing and drop nothing).
 */
function fixtureCopy(name: string) {
  const fixture = listFixtures().find((f) => f.name === name)!;
  const file = join(scratchDir(`diag-${name}`), `${name}${fixture.ext}`);
  copyFileSync(fixture.inputFile, file);
  const diagnostics = rewrite(fixture.source, file)?.diagnostics ?? [];
  const lines = (severity: TraceDiagnostic['severity']) => diagnostics.filter((d) => d.severity === severity).map(formatDiagnostic);
  return { file, errors: lines('error'), warnings: lines('warning') };
}

describe('error diagnostics fail the build with every located error', () => {
  const refused = fixtureCopy('diagnostics-errors');
  it.each<[string, Builder]>([
    ['vite', buildWithVite],
    ['rollup', buildWithRollup],
    ['esbuild', buildWithEsbuild],
    ['webpack', buildWithWebpack],
  ])('%s', async (_name, builder) => {
    const failure = await builder({ refused: refused.file }, scratchDir('diag-out'), 'esm').then(
      () => new Error('the build succeeded'),
      (error: Error) => error,
    );
    expect(refused.errors.length).toBeGreaterThan(1);
    expect(refused.warnings).toEqual([]);
    for (const line of refused.errors) expect(failure.message).toContain(line);
  });

  it('node loader: the import fails, naming each error', async () => {
    const driver = join(scratchDir('diag-loader'), 'driver.ts');
    writeFileSync(driver, `await import(${JSON.stringify(refused.file)});\n`);
    const run = await runNode([...LOADER_MODE, driver]);
    expect(run.code).not.toBe(0);
    for (const line of refused.errors) expect(run.stderr).toContain(line);
  });
});

describe('warning diagnostics reach the warning channel and the build goes on', () => {
  const warned = fixtureCopy('directive-matching');
  it('(the fixture has warnings and no errors)', () => {
    expect(warned.warnings.length).toBeGreaterThan(1);
    expect(warned.errors).toEqual([]);
  });

  it('rollup: this.warn, one located warning each', async () => {
    const logs: RollupLog[] = [];
    const bundle = await rollup({ input: warned.file, external: () => true, plugins: [tracewrightRollup(), stripTypes()], onwarn: (w) => void logs.push(w) });
    await bundle.close();
    expect(logs.filter((l) => l.plugin === 'tracewright').map((l) => l.message)).toEqual(warned.warnings.map((w) => expect.stringContaining(w)));
  });

  it('esbuild: build warnings', async () => {
    const result = await esbuildBuild({ entryPoints: [warned.file], bundle: false, write: false, logLevel: 'silent', plugins: [tracewrightEsbuild()] });
    expect(result.warnings.map((w) => w.text)).toEqual(warned.warnings);
  });

  it('node loader: process warnings, and the module still runs', async () => {
    const driver = join(scratchDir('diag-loader-warn'), 'driver.ts');
    writeFileSync(driver, `const m = await import(${JSON.stringify(warned.file)});\nconsole.log(typeof m.run);\n`);
    const run = await runNode([...LOADER_MODE, driver]);
    expect(run.stdout.trim()).toBe('function');
    for (const line of warned.warnings) expect(run.stderr).toContain(line);
  });
});
