/**
 * The viewer in real headless Chromium against a real store written by a traced program.
 * Trace content is hostile here on purpose: it must render as text, never run.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumForTests, launchOptions } from '../__tests__/browser-for-tests.js';
import { REPO_ROOT, writeSampleStore } from '../__tests__/cli-process.js';
import { XSS_OUTPUT } from '../__tests__/sample-traces.js';
import { BIDI_NAME, BOTH_QUOTES_SESSION, RLO, writeHostileStore, type HostileStore } from '../__tests__/hostile-traces.js';
import { openSource, type TraceSource } from '../source.js';
import { startViewer, type Viewer } from './server.js';

const TOTAL = 7; // see __tests__/sample-traces.ts
let work: string;
let source: TraceSource;
let viewer: Viewer;
let browser: Browser;
let page: Page;
let pageErrors: string[];

// Where no browser can be had, every test here is reported skipped with the reason (never passed);
// TRACEWRIGHT_REQUIRE_BROWSER=1 makes that an error instead. The skip happens in beforeEach, so
// beforeAll hooks still run: they may use `work` but must not need the browser.
const { chromium: found, skipReason } = await chromiumForTests();
if (found) console.log(`viewer browser tests use ${found.executablePath} (${found.via})`);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tw-viewer-'));
  if (!found) return;
  const store = join(work, 'mlruns');
  const launched = chromium.launch(launchOptions(found));
  await writeSampleStore(store, 2);
  source = await openSource({ store });
  viewer = await startViewer({ source, port: 0 });
  browser = await launched;
});
afterAll(async () => {
  await browser?.close();
  await viewer?.close();
  await source?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});
beforeEach(async (ctx) => {
  if (skipReason) return ctx.skip(skipReason);
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = (pageErrors = []);
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
});
afterEach(async () => {
  await page?.close(); // its live refresh must not outlive the test
});

async function open(hash = ''): Promise<void> {
  await page.goto(`${viewer.url}${hash}`);
  await page.waitForSelector('#app[data-state="ready"], #app[data-state="error"]');
}

const rows = () => page.locator('#trace-rows tr[data-trace-id]');

describe('trace list', () => {
  it('loads the first page from the store', async () => {
    await open();
    await expect.poll(() => rows().count()).toBe(TOTAL);
    await expect.poll(() => page.locator('#page-info').textContent()).toBe(`1–${TOTAL} of ${TOTAL}`);
    const ids = await rows().evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.traceId));
    const page1 = (await (await fetch(`${viewer.url}api/traces?max=50`)).json()) as { traces: { trace_id: string }[] };
    expect(ids).toEqual(page1.traces.map((t) => t.trace_id)); // the store's order (newest first)
    expect(pageErrors).toEqual([]);
  });

  it('filters with an MLflow filter string', async () => {
    await open();
    await page.fill('#filter', "metadata.`mlflow.trace.user` = 'user-1'");
    await page.press('#filter', 'Enter');
    await expect.poll(() => rows().count()).toBe(2);
    const users = await page.locator('#trace-rows td:nth-child(6)').allTextContents();
    expect(users).toEqual(['user-1', 'user-1']);
    expect(page.url()).toContain('filter=');
  });

  it('quick-filters by clicking a user chip, and sorts', async () => {
    await open();
    await page.locator('#trace-rows button.chip', { hasText: 'user-0' }).first().click();
    await expect.poll(() => rows().count()).toBe(2);
    expect(await page.inputValue('#quick-user')).toBe('user-0');
    const responses = () => page.locator('#trace-rows td:nth-child(11)').allTextContents();
    expect(await responses()).toEqual(['Tracing records every step as spans.', 'MLflow is an open source platform.']);
    await page.selectOption('#sort', 'timestamp_ms ASC');
    await expect.poll(responses).toEqual(['MLflow is an open source platform.', 'Tracing records every step as spans.']);
  });

  it("shows the parser's message with position for a bad filter", async () => {
    await open();
    await page.fill('#filter', "trace.status = 'OK' OR");
    await page.press('#filter', 'Enter');
    await page.waitForSelector('#list-error:not([hidden])');
    const text = await page.textContent('#list-error');
    expect(text).toMatch(/position \d+/);
    expect(text).toContain('^');
  });

  it('pages with Next/Prev using the store page token', async () => {
    await open('#/?size=4');
    await expect.poll(() => rows().count()).toBe(4);
    const firstPage = await rows().evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.traceId));
    await page.click('#next');
    await expect.poll(() => page.locator('#page-info').textContent()).toBe(`5–${TOTAL} of ${TOTAL}`);
    const secondPage = await rows().evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.traceId));
    expect(secondPage).toHaveLength(TOTAL - 4);
    expect(new Set([...firstPage, ...secondPage]).size).toBe(TOTAL);
    expect(await page.isDisabled('#next')).toBe(true);
    await page.click('#prev');
    await expect.poll(() => page.locator('#page-info').textContent()).toBe('1–4');
  });
});

describe('trace page', () => {
  it('clicking a span shows its inputs, outputs and the chat conversation', async () => {
    await open("#/?user=user-0");
    await expect.poll(() => rows().count()).toBe(2);
    await rows().first().locator('a.trace-link').click();
    await page.waitForSelector('#app[data-view="trace"][data-state="ready"]');
    expect(await page.locator('.span-row').count()).toBe(4);
    await page.click('.span-row[data-span-name="retrieve"]');
    await expect.poll(() => page.textContent('#detail-name')).toBe('retrieve');
    expect(await page.textContent('#detail-inputs')).toMatch(/query:\s*"(What is MLflow\?|And tracing\?)"/);
    expect(await page.textContent('#detail-inputs')).toMatch(/k:\s*2/);

    await page.click('.span-row[data-span-name="chat.completions.create"]');
    await expect.poll(() => page.textContent('#detail-name')).toBe('chat.completions.create');
    const chat = page.locator('.chat .msg');
    expect(await chat.locator('.msg-role').allTextContents()).toEqual(['system', 'user', 'assistant']);
    expect(await page.textContent('.detail')).toContain('20 (in 12 · out 8)');
    expect(await page.textContent('.detail')).toContain('$0.000280');
    expect(await page.locator('.bar').count()).toBe(4);
    expect(pageErrors).toEqual([]);
  });

  it('shows an Anthropic Messages call (system prompt, content blocks, tool use) as a conversation', async () => {
    await open('#/?user=carol');
    await expect.poll(() => rows().count()).toBe(1);
    await rows().first().locator('a.trace-link').click();
    await page.waitForSelector('#app[data-view="trace"][data-state="ready"]');
    await page.click('.span-row[data-span-name="Messages.create"]');
    await page.waitForSelector('.chat .msg');
    expect(await page.locator('.chat .msg-role').allTextContents()).toEqual(['system', 'user', 'assistant']);
    expect(await page.locator('.chat .role-assistant .msg-part').allTextContents()).toEqual([
      'Let me check the weather.',
      'tool call › get_weather({"city":"Oslo"})',
    ]);
    expect(await page.textContent('.detail')).toContain('42 (in 30 · out 12)');
  });

  it('renders hostile trace content inert, as text', async () => {
    await open("#/?user=mallory");
    await expect.poll(() => rows().count()).toBe(1);
    // The list preview already holds the payload.
    expect(await rows().first().textContent()).toContain('<script>window.__pwned = 1</script>');
    await rows().first().locator('a.trace-link').click();
    await page.waitForSelector('#app[data-view="trace"][data-state="ready"]');
    await page.click('.span-row[data-span-name="chat.completions.create"]');
    await page.waitForSelector('.chat .role-assistant');
    expect(await page.textContent('.chat .role-assistant .msg-part')).toBe(XSS_OUTPUT);
    await page.click('.span-row[data-span-name="answer_question"]');
    await expect.poll(() => page.textContent('#detail-outputs')).toContain('onerror=');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#app script, #app img').count()).toBe(0);
    // And the CSP is live: even a script the page itself inlines does not run.
    const inline = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.append(s);
      return (window as unknown as { __inline?: number }).__inline;
    });
    expect(inline).toBeUndefined();
    mkdirSync(join(REPO_ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(REPO_ROOT, 'test-artifacts', 'viewer-xss.png'), fullPage: true });
  });

  it('serves a strict Content-Security-Policy with every response', async () => {
    const res = await fetch(viewer.url);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).not.toMatch(/<script>|\sstyle=|\son[a-z]+=/);
    const api = await fetch(`${viewer.url}api/traces`);
    expect(api.headers.get('content-type')).toContain('application/json');
    expect(api.headers.get('content-security-policy')).toBe(csp);
  });

  it('serves the front-end modules as JavaScript, and nothing outside static/', async () => {
    const { request } = await import('node:http');
    const { port } = new URL(viewer.url);
    // Raw request paths: fetch would normalize the dot segments away before sending.
    const get = (path: string) =>
      new Promise<{ status: number; type: string; csp: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path }, (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), csp: String(res.headers['content-security-policy']) });
        });
        req.on('error', reject);
        req.end();
      });
    for (const path of ['/app.js', '/js/router.js', '/js/views/trace-page.js']) {
      const res = await get(path);
      expect(res, path).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
      expect(res.csp).toContain("script-src 'self'");
    }
    for (const path of ['/js/../../package.json', '/js/%2e%2e/%2e%2e/src/viewer/server.ts', '/..%2fpackage.json', '/js', '/js/', '/js/nope.js']) {
      expect((await get(path)).status, path).toBe(404);
    }
  });

  it('rejects other Host headers (DNS rebinding) and unknown traces', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${viewer.url}api/traces`, { headers: { Host: 'evil.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    const missing = await fetch(`${viewer.url}api/traces/tr-00000000000000000000000000000000`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error_code: string }).error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});

describe('sessions and live refresh', () => {
  it('lists sessions, most recently active first, and opens one', async () => {
    await open('#/sessions');
    const ids = await page.locator('#session-rows tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.sessionId));
    expect(ids).toEqual(['session-carol', 'session-evil', 'session-1', 'session-0']);
    expect(await page.locator('#session-rows tr[data-session-id="session-1"] td').allTextContents()).toEqual(
      expect.arrayContaining(['user-1', '2', '40']),
    );
    await page.click('#session-rows a[href="#/session/session-1"]');
    await page.waitForSelector('#app[data-view="session"][data-state="ready"]');
  });

  it('shows the traces of one session in order, as a conversation', async () => {
    await open('#/session/session-1');
    const parts = await page.locator('#session-chat .msg .msg-part').allTextContents();
    expect(parts).toEqual(['What is MLflow?', 'MLflow is an open source platform.', 'And tracing?', 'Tracing records every step as spans.']);
    expect(await page.locator('#session-chat .role-user .msg-role').first().textContent()).toBe('user-1');
  });

  it('lists new traces as they arrive, and saves a screenshot', async () => {
    await open();
    await expect.poll(() => rows().count()).toBe(TOTAL);
    await writeSampleStore(join(work, 'mlruns'), 1); // 5 more traces, from another process
    await expect.poll(() => rows().count(), { timeout: 15_000 }).toBe(TOTAL + 5);
    mkdirSync(join(REPO_ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(REPO_ROOT, 'test-artifacts', 'viewer.png'), fullPage: true });
  });
});

describe('hostile text: bidi overrides and quotes', () => {
  let hostileSource: TraceSource;
  let hostileViewer: Viewer;
  let hostile: HostileStore;
  beforeAll(async () => {
    const store = join(work, 'hostile');
    hostile = await writeHostileStore(store);
    hostileSource = await openSource({ store });
    hostileViewer = await startViewer({ source: hostileSource, port: 0 });
  });
  afterAll(async () => {
    await hostileViewer?.close();
    await hostileSource?.close();
  });

  async function openHostile(hash: string): Promise<void> {
    await page.goto(`${hostileViewer.url}${hash}`);
    await page.waitForSelector('#app[data-state="ready"], #app[data-state="error"]');
  }

  /**
   * Where things are drawn: the box of `before`'s text and of `after`'s, and whether `after`'s
   * text runs left to right (first character left of the last), all measured with DOM ranges.
   */
  async function layout(beforeSelector: string, afterSelector: string) {
    return page.evaluate(
      ([b, a]) => {
        const textOf = (el: Element): Text => {
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          return walker.nextNode() as Text;
        };
        const box = (el: Element) => {
          const r = document.createRange();
          r.selectNodeContents(el);
          return r.getBoundingClientRect();
        };
        const charX = (t: Text, i: number) => {
          const r = document.createRange();
          r.setStart(t, i);
          r.setEnd(t, i + 1);
          return r.getBoundingClientRect().left;
        };
        const before = document.querySelector(b)!;
        const after = document.querySelector(a)!;
        const text = textOf(after);
        return { beforeRight: box(before).right, afterLeft: box(after).left, firstX: charX(text, 0), lastX: charX(text, text.length - 1), text: text.data };
      },
      [beforeSelector, afterSelector] as const,
    );
  }

  it("a U+202E in the trace name does not reverse or move the trace id beside it", async () => {
    await openHostile(`#/trace/${hostile.bidiTraceId}`);
    expect(await page.textContent('h1')).toBe(`${BIDI_NAME} ${hostile.bidiTraceId}`);
    // The name is the h1's first child; the id its span.
    const l = await layout('h1 > :first-child', 'h1 > span.mono');
    expect(l.text).toBe(hostile.bidiTraceId);
    expect(l.firstX).toBeLessThan(l.lastX); // "tr-…" reads left to right
    expect(l.afterLeft).toBeGreaterThanOrEqual(l.beforeRight - 1); // and stays right of the name
    mkdirSync(join(REPO_ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(REPO_ROOT, 'test-artifacts', 'viewer-bidi.png') });
  });

  it("a U+202E in a session's trace name does not move the time after it", async () => {
    const session = (await (await fetch(`${hostileViewer.url}api/traces/${hostile.bidiTraceId}`)).json()) as { info: { trace_metadata: Record<string, string> } };
    const sessionId = session.info.trace_metadata['mlflow.trace.session']!;
    expect(sessionId).toContain(RLO);
    await openHostile(`#/session/${encodeURIComponent(sessionId)}`);
    expect(await page.getAttribute('#app', 'data-state')).toBe('ready');
    // turn-meta: <a>name</a> then " · <time> · <duration>": the time must stay right of the link.
    const l = await layout('.turn-meta > a', '.turn-meta > :nth-child(2)');
    expect(l.text.startsWith(' · ')).toBe(true);
    expect(l.afterLeft).toBeGreaterThanOrEqual(l.beforeRight - 1);
    expect(l.firstX).toBeLessThan(l.lastX);
  });

  it("a session id holding both ' and \" opens, listed and as a conversation", async () => {
    await openHostile('#/sessions');
    await page.click(`#session-rows a[href="#/session/${encodeURIComponent(BOTH_QUOTES_SESSION)}"]`);
    await page.waitForSelector('#app[data-view="session"][data-state="ready"]');
    expect(await page.locator('#session-chat .msg-part').allTextContents()).toEqual([`question in ${BOTH_QUOTES_SESSION}`, `answer to question in ${BOTH_QUOTES_SESSION}`]);
    await page.click('text=as a list');
    await page.waitForSelector('#app[data-view="list"][data-state="ready"]');
    await expect.poll(() => rows().evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.traceId))).toContain(hostile.bothQuotesTraceId);
    expect(pageErrors).toEqual([]);
  });
});
