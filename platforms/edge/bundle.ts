// Bundles a fixture worker the way a user's toolchain would (wrangler and Next.js use esbuild /
// webpack with these export conditions), against the built @tracewright/runtime package.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Format, type Metafile } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const runtimeDist = join(here, '..', '..', 'packages', 'runtime', 'dist', 'edge', 'index.js');

export interface BundledWorker {
  code: string;
  /** Every input file of the bundle (to assert which build of the runtime was used). */
  inputs: string[];
  metafile: Metafile;
}

export async function bundleWorker(entry: string, conditions: string[], format: Format): Promise<BundledWorker> {
  if (!existsSync(runtimeDist)) throw new Error(`${runtimeDist} is missing: run \`npm run build\` first (npm test does)`);
  const result = await build({
    entryPoints: [join(here, 'fixtures', entry)],
    bundle: true,
    write: false,
    format,
    // As wrangler and Next.js bundle for workers: the browser platform, the runtime's conditions first.
    platform: 'browser',
    conditions,
    target: 'es2022',
    // As wrangler does: function names are span names.
    keepNames: true,
    metafile: true,
    // Provided by workerd itself.
    external: ['cloudflare:*'],
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs), metafile: result.metafile };
}
