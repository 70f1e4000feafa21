// Builds the package in the current directory: ESM (with .d.ts) into dist/esm and, unless
// --esm-only, a CommonJS twin into dist/cjs so `require()` consumers on any Node version work.
// Both builds come from the same sources; tsc is the only tool involved.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const esmOnly = process.argv.includes('--esm-only');

rmSync('dist', { recursive: true, force: true });
const run = (args) => execFileSync(process.execPath, [tsc, ...args], { stdio: 'inherit' });

run(['-p', 'tsconfig.json']);
if (!esmOnly) {
  run(['-p', 'tsconfig.json', '--module', 'commonjs', '--moduleResolution', 'node10', '--outDir', 'dist/cjs']);
  mkdirSync(join('dist', 'cjs'), { recursive: true });
  writeFileSync(join('dist', 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
}
