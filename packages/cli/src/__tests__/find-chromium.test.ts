/**
 * The search order of find-chromium.ts, against real files in temporary directories (executable
 * or not). Linux install locations are real paths on this machine, so the cases that must not
 * see them use the macOS layout, whose locations are all under the given home.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chromiumForTests } from './browser-for-tests.js';
import { chromiumFromEnv, findChromium, inPlaywrightCache, installedChromium, type Machine } from './find-chromium.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tw-find-chromium-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function file(rel: string, executable = true): string {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, executable ? 0o755 : 0o644);
  return path;
}

const mac = (env: NodeJS.ProcessEnv = {}): Machine => ({ env, platform: 'darwin', arch: 'arm64', home: join(root, 'home') });

describe('an explicit choice', () => {
  it('takes $TRACEWRIGHT_CHROMIUM, then $CHROME_PATH', () => {
    const a = file('a/chrome');
    const b = file('b/chrome');
    expect(chromiumFromEnv(mac({ TRACEWRIGHT_CHROMIUM: a, CHROME_PATH: b }))).toEqual({ executablePath: a, via: '$TRACEWRIGHT_CHROMIUM' });
    expect(chromiumFromEnv(mac({ CHROME_PATH: b }))).toEqual({ executablePath: b, via: '$CHROME_PATH' });
    expect(chromiumFromEnv(mac({}))).toBeUndefined();
  });

  it('is an error, not a fallback, when it names no executable file', async () => {
    const notExecutable = file('chrome', false);
    expect(() => chromiumFromEnv(mac({ TRACEWRIGHT_CHROMIUM: notExecutable }))).toThrow(
      `TRACEWRIGHT_CHROMIUM=${notExecutable} is not an executable file`,
    );
    await expect(findChromium(mac({ CHROME_PATH: root }))).rejects.toThrow(`CHROME_PATH=${root} is not an executable file`);
  });
});

describe('installed browsers', () => {
  it('finds the first executable command on PATH, skipping files that are not executable', () => {
    file('bin1/chromium', false);
    const chrome = file('bin2/google-chrome');
    const path = [join(root, 'missing'), join(root, 'bin1'), join(root, 'bin2')].join(':');
    expect(installedChromium(mac({ PATH: path }))).toEqual({ executablePath: chrome, via: 'PATH' });
  });

  it('finds Chrome in ~/Applications on macOS', () => {
    const app = file('home/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    expect(installedChromium(mac({ PATH: '' }))).toEqual({ executablePath: app, via: 'usual install location' });
  });

  it("finds playwright's newest chromium, the full browser before the headless shell", () => {
    file('pw/chromium-1100/chrome-linux/chrome');
    const newest = file('pw/chromium-1255/chrome-linux64/chrome');
    file('pw/chromium_headless_shell-1255/chrome-headless-shell-linux64/chrome-headless-shell');
    file('pw/firefox-1500/firefox/firefox');
    const linux: Machine = { env: { PLAYWRIGHT_BROWSERS_PATH: join(root, 'pw') }, platform: 'linux', arch: 'x64', home: root };
    const existing = inPlaywrightCache(linux).filter((p) => existsSync(p));
    expect(existing).toEqual([
      newest,
      join(root, 'pw/chromium_headless_shell-1255/chrome-headless-shell-linux64/chrome-headless-shell'),
      join(root, 'pw/chromium-1100/chrome-linux/chrome'),
    ]);
  });

  it("looks in playwright's default cache: XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches on macOS", () => {
    const xdg: Machine = { env: { XDG_CACHE_HOME: join(root, 'xdg') }, platform: 'linux', arch: 'x64', home: root };
    expect(inPlaywrightCache(xdg)).toEqual([]); // no cache directory yet
    const linuxChrome = file('xdg/ms-playwright/chromium-1255/chrome-linux64/chrome');
    expect(inPlaywrightCache(xdg)).toContain(linuxChrome);
    const macChrome = file(
      'home/Library/Caches/ms-playwright/chromium-1255/chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
    );
    expect(installedChromium(mac({ PATH: '' }))).toEqual({ executablePath: macChrome, via: 'playwright cache' });
  });
});

describe('when nothing can be had', () => {
  it('says what was searched, as one line', async () => {
    const found = await findChromium(mac({ PATH: join(root, 'bin') }));
    expect(found).toEqual({ missing: expect.stringContaining('no Chrome or Chromium found') });
    const { missing } = found as { missing: string };
    expect(missing).toContain(join(root, 'home', 'Library', 'Caches', 'ms-playwright'));
    expect(missing).toContain('the bundled @sparticuz/chromium is a Linux x64 build (this is darwin arm64)');
    expect(missing).not.toContain('\n');
  });

  it('makes the browser tests skip with that reason, or fail under TRACEWRIGHT_REQUIRE_BROWSER=1', async () => {
    const skipped = await chromiumForTests(mac({ PATH: '' }));
    expect(skipped.chromium).toBeUndefined();
    expect(skipped.skipReason).toMatch(/^browser tests skipped: no Chrome or Chromium found .*; set TRACEWRIGHT_CHROMIUM to /);
    await expect(chromiumForTests(mac({ PATH: '', TRACEWRIGHT_REQUIRE_BROWSER: '1' }))).rejects.toThrow(
      /^TRACEWRIGHT_REQUIRE_BROWSER=1 but no Chrome or Chromium found/,
    );
  });
});
