/**
 * What the browser tests do with find-chromium.ts's answer: launch what was found, or skip with a
 * one-line reason (shown in the run's summary by test-support/skip-reasons-reporter.ts). With
 * TRACEWRIGHT_REQUIRE_BROWSER=1 (set by .ci/run) a missing browser is an error instead of a skip.
 */
import type { LaunchOptions } from 'playwright-core';
import { findChromium, thisMachine, type FoundChromium, type Machine } from './find-chromium.js';

export const REQUIRE_BROWSER_ENV = 'TRACEWRIGHT_REQUIRE_BROWSER';

export type BrowserForTests = { chromium: FoundChromium; skipReason?: undefined } | { chromium?: undefined; skipReason: string };

export async function chromiumForTests(m: Machine = thisMachine()): Promise<BrowserForTests> {
  const found = await findChromium(m);
  if ('executablePath' in found) return { chromium: found };
  if (m.env[REQUIRE_BROWSER_ENV] === '1') throw new Error(`${REQUIRE_BROWSER_ENV}=1 but ${found.missing}`);
  return { skipReason: `browser tests skipped: ${found.missing}; set TRACEWRIGHT_CHROMIUM to a Chrome/Chromium binary to run them` };
}

/**
 * Headless, no sandbox (CI runs as root), and no background networking: on a closed network
 * Chromium's own connections are refused, many at a time.
 */
export function launchOptions(chromium: FoundChromium): LaunchOptions {
  return {
    executablePath: chromium.executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    ...(chromium.env ? { env: { ...process.env, ...chromium.env } } : {}),
  };
}
