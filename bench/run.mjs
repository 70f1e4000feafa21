// Runs every bench/*.bench.ts in its own process (against the built packages), one after
// another so they do not compete for the two cores. Exits non-zero if any bench fails.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => /\.bench\.(ts|mjs)$/.test(f))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n# ${file}`);
  const res = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, file)], { stdio: 'inherit', cwd: join(here, '..') });
  if (res.status !== 0) {
    failed++;
    console.error(`bench ${file} failed (exit ${res.status})`);
  }
}
process.exit(failed ? 1 : 0);
