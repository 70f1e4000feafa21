/**
 * Finds a Chrome or Chromium for the viewer's browser tests (and the viewer bench), in this order:
 *   1. $TRACEWRIGHT_CHROMIUM, then $CHROME_PATH — an explicit choice; if it is not an executable
 *      file that is an error, never a silent fallback to something else;
 *   2. chromium, chromium-browser, google-chrome, google-chrome-stable, chrome on $PATH;
 *   3. the usual install locations of Linux, macOS and Windows;
 *   4. browsers that playwright installed into its own cache (any revision, newest first);
 *   5. the Chromium shipped inside the @sparticuz/chromium npm package (Linux x64 only; see
 *      bundled-chromium.ts).
 * The machine is a parameter so the search order is testable with real files in temp directories.
 */
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { unpackBundledChromium } from './bundled-chromium.js';

export interface Machine {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  arch: string;
  home: string;
}

export const thisMachine = (): Machine => ({
  env: process.env,
  platform: process.platform,
  arch: process.arch,
  home: homedir(),
});

export interface FoundChromium {
  executablePath: string;
  /** Where it was found, for the log line. */
  via: string;
  /** Extra environment the browser process needs (the bundled build's own libraries). */
  env?: Record<string, string>;
}

export type ChromiumLookup = FoundChromium | { missing: string };

export const CHROMIUM_ENV_VARS = ['TRACEWRIGHT_CHROMIUM', 'CHROME_PATH'] as const;
const COMMANDS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

const pathOf = (m: Machine) => (m.platform === 'win32' ? path.win32 : path.posix);

export function isExecutableFile(file: string, m: Machine): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (m.platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Step 1: the explicit choice, or undefined when none is set. Throws when it names no executable. */
export function chromiumFromEnv(m: Machine): FoundChromium | undefined {
  for (const name of CHROMIUM_ENV_VARS) {
    const value = m.env[name];
    if (!value) continue;
    if (!isExecutableFile(value, m)) throw new Error(`${name}=${value} is not an executable file (unset it to search the usual places)`);
    return { executablePath: value, via: `$${name}` };
  }
  return undefined;
}

function onPath(m: Machine): string[] {
  const p = pathOf(m);
  const dirs = (m.env.PATH ?? m.env.Path ?? '').split(p.delimiter).filter(Boolean);
  const exts = m.platform === 'win32' ? ['.exe'] : [''];
  return dirs.flatMap((dir) => COMMANDS.flatMap((cmd) => exts.map((ext) => p.join(dir, cmd + ext))));
}

function usualLocations(m: Machine): string[] {
  const p = pathOf(m);
  if (m.platform === 'darwin') {
    const apps = [
      'Google Chrome.app/Contents/MacOS/Google Chrome',
      'Chromium.app/Contents/MacOS/Chromium',
      'Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
    ];
    return ['/Applications', p.join(m.home, 'Applications')].flatMap((dir) => apps.map((app) => p.join(dir, app)));
  }
  if (m.platform === 'win32') {
    const roots = [m.env.PROGRAMFILES, m.env['PROGRAMFILES(X86)'], m.env.LOCALAPPDATA].filter((r): r is string => !!r);
    return roots.flatMap((root) => [
      p.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      p.join(root, 'Chromium', 'Application', 'chrome.exe'),
    ]);
  }
  return [
    ...['/usr/bin', '/usr/local/bin', '/snap/bin'].flatMap((dir) => COMMANDS.map((cmd) => p.join(dir, cmd))),
    '/usr/lib/chromium/chromium', // Debian's binary behind its /usr/bin/chromium wrapper
    '/usr/lib/chromium-browser/chromium-browser',
    '/opt/google/chrome/chrome',
  ];
}

/** Playwright's cache directory, as playwright computes it. */
export function playwrightCacheDir(m: Machine): string {
  const p = pathOf(m);
  const own = m.env.PLAYWRIGHT_BROWSERS_PATH;
  if (own && own !== '0') return own;
  if (m.platform === 'darwin') return p.join(m.home, 'Library', 'Caches', 'ms-playwright');
  if (m.platform === 'win32') return p.join(m.env.LOCALAPPDATA || p.join(m.home, 'AppData', 'Local'), 'ms-playwright');
  return p.join(m.env.XDG_CACHE_HOME || p.join(m.home, '.cache'), 'ms-playwright');
}

// Executables inside one chromium-<rev> / chromium_headless_shell-<rev> directory, for the layouts
// of current playwright (Chrome for Testing builds) and older ones (chrome-linux/, chrome-mac/).
const PLAYWRIGHT_LAYOUTS: Record<string, string[]> = {
  linux: [
    'chrome-linux64/chrome',
    'chrome-linux-arm64/chrome',
    'chrome-linux/chrome',
    'chrome-headless-shell-linux64/chrome-headless-shell',
    'chrome-headless-shell-linux-arm64/chrome-headless-shell',
    'chrome-linux/headless_shell',
  ],
  darwin: [
    'chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
    'chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
    'chrome-mac/Chromium.app/Contents/MacOS/Chromium',
    'chrome-headless-shell-mac-arm64/chrome-headless-shell',
    'chrome-headless-shell-mac-x64/chrome-headless-shell',
    'chrome-mac/headless_shell',
  ],
  win32: [
    'chrome-win64/chrome.exe',
    'chrome-win/chrome.exe',
    'chrome-headless-shell-win64/chrome-headless-shell.exe',
    'chrome-win/headless_shell.exe',
  ],
};

/** Executables that may exist in playwright's cache, newest revision first. */
export function inPlaywrightCache(m: Machine): string[] {
  const p = pathOf(m);
  const root = playwrightCacheDir(m);
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return [];
  }
  const builds = entries
    .map((name) => ({ name, match: /^chromium(_headless_shell)?-(\d+)$/.exec(name) }))
    .filter((e): e is { name: string; match: RegExpExecArray } => e.match !== null)
    // newest revision first; the full browser before the headless shell of the same revision
    .sort((a, b) => Number(b.match[2]) - Number(a.match[2]) || Number(!!a.match[1]) - Number(!!b.match[1]));
  const layouts = PLAYWRIGHT_LAYOUTS[m.platform] ?? PLAYWRIGHT_LAYOUTS.linux!;
  return builds.flatMap((b) => layouts.map((rel) => p.join(root, b.name, ...rel.split('/'))));
}

/** Steps 2–4 in order: the first executable file wins. */
export function installedChromium(m: Machine): FoundChromium | undefined {
  const steps: [string, string[]][] = [
    ['PATH', onPath(m)],
    ['usual install location', usualLocations(m)],
    ['playwright cache', inPlaywrightCache(m)],
  ];
  for (const [via, files] of steps) {
    const hit = files.find((f) => isExecutableFile(f, m));
    if (hit) return { executablePath: hit, via };
  }
  return undefined;
}

export async function findChromium(m: Machine = thisMachine()): Promise<ChromiumLookup> {
  const found = chromiumFromEnv(m) ?? installedChromium(m);
  if (found) return found;
  const bundled = await unpackBundledChromium(m);
  if ('executablePath' in bundled) return bundled;
  return {
    missing:
      `no Chrome or Chromium found ($TRACEWRIGHT_CHROMIUM and $CHROME_PATH unset; none of ${COMMANDS.join(', ')} on PATH, ` +
      `in the usual install locations or in ${playwrightCacheDir(m)}; ${bundled.missing})`,
  };
}
