/**
 * The viewer's write path and comparison in real headless Chromium: adding feedback and an
 * expectation from the trace page, seeing them, filtering the list by a feedback chip,
 * comparing two ticked traces — and a page on another origin that tries to POST is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { flushTraces, getLastActiveTraceId, setDestination, setTrackingUri, trace } from '@tracewright/runtime';
import { chromiumForTests, launchOptions } from '../__tests__/browser-for-tests.js';
import { openSource, type TraceSource } from '../source.js';
import { startViewer, type Viewer } from './server.js';

let work: string;
let source: TraceSource;
let viewer: Viewer;
let browser: Browser;
let page: Page;
let attacker: Server;
let attackerUrl: string;
const ids: string[] = [];

const { chromium: found, skipReason } = await chromiumForTests();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tw-viewer-assess-'));
  if (!found) return; // every test is reported skipped with the reason (beforeEach)
  const launched = chromium.launch(launchOptions(found));
  const store = join(work, 'mlruns');
  setTrackingUri(store);
  for (const source of ['met', 'yr']) {
    const weather = trace((city: string) => ({ city, forecast: '4°C', source: city === 'Oslo' ? source : 'met' }), { name: 'get_weather', spanType: 'TOOL' });
    const agent = trace(async (question: string) => `${weather('Paris').forecast} / ${weather('Oslo').forecast}`, { name: 'agent', spanType: 'AGENT' });
    await agent("weather?");
    await flushTraces();
    ids.push(getLastActiveTraceId()!);
  }
  setDestination(undefined);
  source = await openSource({ store });
  viewer = await startViewer({ source, port: 0, searchWorkers: 1 });
  // Another origin (another port): its page tries to write to the viewer.
  attacker = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><form id="f" method="POST" enctype="text/plain" action="${viewer.url}api/traces/${ids[0]}/assessments">
<input name='{"kind":"feedback","name":"pwned","value":true,"x":"' value='"}'></form>
<script>
fetch(${JSON.stringify(`${viewer.url}api/traces/${ids[0]}/assessments`)}, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: '{"kind":"feedback","name":"pwned","value":true}' })
  .finally(() => { document.title = 'fetched'; document.getElementById('f').submit(); });
</script>`);
  });
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', () => r()));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
  browser = await launched;
});
afterAll(async () => {
  await browser?.close();
  await viewer?.close();
  await source?.close();
  if (attacker) await new Promise((r) => attacker.close(r));
  rmSync(work, { recursive: true, force: true });
});
beforeEach(async (ctx) => {
  if (skipReason) return ctx.skip(skipReason);
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
});
afterEach(async () => {
  await page?.close();
});

async function open(hash = ''): Promise<void> {
  await page.goto(`${viewer.url}${hash}`);
  await page.waitForSelector('#app[data-state="ready"], #app[data-state="error"]');
}
const assessmentsOf = async (id: string) => ((await (await fetch(`${viewer.url}api/traces/${id}`)).json()) as { info: { assessments: any[] } }).info.assessments;

describe('feedback from the trace page', () => {
  it('thumbs down + comment and a named expectation are saved, shown, and filter the list', async () => {
    await open(`#/trace/${ids[1]}`);
    await page.fill('#feedback-comment', 'wrong weather source');
    await page.click('#thumbs-down');
    await expect.poll(() => page.locator('#trace-assessments tr[data-assessment-name="user_feedback"] .assessment-value').textContent()).toBe('false');
    await page.selectOption('#assessment-kind', 'expectation');
    await page.fill('#assessment-name', 'expected_source');
    await page.fill('#assessment-value', 'met');
    await page.click('#assessment-add');
    await expect.poll(() => page.locator('#trace-assessments tr[data-assessment-name="expected_source"] .assessment-value').textContent()).toBe('met');
    // bad input gets the server's clear message, nothing is stored
    await page.fill('#assessment-name', 'a.b');
    await page.click('#assessment-add');
    await expect.poll(() => page.locator('#assessment-status').textContent()).toMatch(/"name" must not contain "\."/);
    const stored = await assessmentsOf(ids[1]!);
    expect(stored.map((a) => [a.assessment_name, a.source.source_type, a.feedback?.value ?? a.expectation?.value, a.rationale])).toEqual([
      ['user_feedback', 'HUMAN', false, 'wrong weather source'],
      ['expected_source', 'HUMAN', 'met', undefined],
    ]);

    // A span-level judgement shows in that span's detail pane, not among the trace's own.
    const spans = ((await (await fetch(`${viewer.url}api/traces/${ids[1]}`)).json()) as { data: { spans: { span_id: string; name: string }[] } }).data.spans;
    const tool = spans.find((sp) => sp.name === 'get_weather')!;
    const toolHex = Buffer.from(tool.span_id, 'base64').toString('hex');
    const { token } = (await (await fetch(`${viewer.url}api/token`)).json()) as { token: string };
    const posted = await fetch(`${viewer.url}api/traces/${ids[1]}/assessments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: viewer.url.replace(/\/$/, ''), 'x-tracewright-token': token },
      body: JSON.stringify({ kind: 'feedback', name: 'tool_ok', value: 'yes', spanId: toolHex }),
    });
    expect(posted.status).toBe(201);
    await open(`#/trace/${ids[1]}/${encodeURIComponent(tool.span_id)}`);
    await expect.poll(() => page.locator('#span-assessments tr[data-assessment-name="tool_ok"] .assessment-value').textContent()).toBe('yes');
    expect(await page.locator('#trace-assessments tr[data-assessment-name="tool_ok"]').count()).toBe(0);

    await open();
    const chip = page.locator(`#trace-rows tr[data-trace-id="${ids[1]}"] button.feedback-chip[data-name="user_feedback"]`);
    await expect.poll(() => chip.textContent()).toBe('👎');
    await chip.click();
    await expect.poll(() => page.inputValue('#filter')).toBe("feedback.user_feedback = 'false'");
    await expect.poll(() => page.locator('#trace-rows tr[data-trace-id]').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.traceId))).toEqual([ids[1]]);
  });
});

describe('compare', () => {
  it('ticking two traces opens them side by side with the one changed tool result', async () => {
    await open();
    await page.check(`#trace-rows input.pick[data-trace-id="${ids[0]}"]`);
    await page.check(`#trace-rows input.pick[data-trace-id="${ids[1]}"]`);
    await page.click('#compare');
    await page.waitForSelector('#app[data-view="compare"][data-state="ready"]');
    expect(await page.textContent('#compare-summary')).toBe('1 changed, 0 added, 0 removed, 2 same');
    const changed = page.locator('#compare-rows tr[data-status="changed"]');
    expect(await changed.getAttribute('data-path')).toBe('agent/get_weather[1]');
    expect(await changed.locator('.change').textContent()).toBe('outputs.source: met → yr');
  });
});

describe('cross-site protection', () => {
  it('a page on another origin cannot add feedback (form POST and fetch both refused)', async () => {
    const before = (await assessmentsOf(ids[0]!)).length;
    await page.goto(attackerUrl);
    await page.waitForURL(/api\/traces/); // the form navigated to the viewer's answer
    expect(await page.textContent('body')).toMatch(/cross-origin write refused/);
    expect((await assessmentsOf(ids[0]!)).length).toBe(before);
  });

  it('the server refuses writes without the token, from another Origin, oversized or malformed', async () => {
    const url = `${viewer.url}api/traces/${ids[0]}/assessments`;
    const origin = viewer.url.replace(/\/$/, '');
    const { token } = (await (await fetch(`${viewer.url}api/token`)).json()) as { token: string };
    const post = (headers: Record<string, string>, body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const good = JSON.stringify({ kind: 'feedback', name: 'ok', value: 1 });
    expect((await post({ origin }, good)).status).toBe(403);
    expect((await post({ origin: 'http://evil.example', 'x-tracewright-token': token }, good)).status).toBe(403);
    expect((await post({ origin, 'x-tracewright-token': token, 'sec-fetch-site': 'cross-site' }, good)).status).toBe(403);
    expect((await post({ origin, 'x-tracewright-token': 'nope' }, good)).status).toBe(403);
    const big = await post({ origin, 'x-tracewright-token': token }, JSON.stringify({ kind: 'feedback', name: 'x', value: 'v'.repeat(20_000) }));
    expect(big.status).toBe(413);
    const bad = await post({ origin, 'x-tracewright-token': token }, JSON.stringify({ kind: 'feedback', name: 'x', value: 1, admin: true }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/unknown field "admin"/);
    const missing = await post({ origin, 'x-tracewright-token': token }, JSON.stringify({ kind: 'feedback', name: 'x', value: 1 }).replace(ids[0]!, ''));
    expect(missing.status).toBe(201);
    expect((await fetch(`${viewer.url}api/traces/tr-00000000000000000000000000000001/assessments`, { method: 'POST', headers: { 'content-type': 'application/json', origin, 'x-tracewright-token': token }, body: good })).status).toBe(404);
    expect((await fetch(url, { method: 'OPTIONS', headers: { origin: 'http://evil.example' } })).headers.get('access-control-allow-origin')).toBeNull();
  });
});
