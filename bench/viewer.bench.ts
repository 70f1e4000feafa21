/**
 * Viewer over a large store: 100,000 traces written with the store's own writer, then
 *   - baseline: opening the store and reading its index (what every listing starts from),
 *   - GET /api/traces first page (50, newest first), warm, median,
 *   - the same with a user filter, and page 2 through the page token,
 *   - the list page rendered in headless Chromium (navigation → rows on screen), median.
 * Target: first page < 300 ms warm.
 *
 *   node --conditions=@tracewright/source --import tsx bench/viewer.bench.ts [traces]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  LocalStoreDestination,
  LocalTraceStore,
  Span,
  SpanStatus,
  SpanStatusCode,
  SpanAttributeKey,
  TraceMetadataKey,
  TraceTagKey,
  type Trace,
} from '@tracewright/runtime';
import { launchOptions } from '../packages/cli/src/__tests__/browser-for-tests.js';
import { findChromium } from '../packages/cli/src/__tests__/find-chromium.js';
import { openSource } from '../packages/cli/src/source.js';
import { startViewer } from '../packages/cli/src/viewer/server.js';

const N = Number(process.argv[2] ?? 100_000);
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

function makeTrace(i: number, baseMs: number): Trace {
  const traceId = `tr-${hex(i, 32)}`;
  const startNs = BigInt(baseMs + i) * 1_000_000n;
  const endNs = startNs + 5_000_000n;
  const enc = JSON.stringify;
  const root = new Span({
    traceId,
    spanId: hex(i * 2 + 1, 16),
    parentId: null,
    name: 'answer_question',
    startTimeUnixNano: startNs,
    endTimeUnixNano: endNs,
    status: new SpanStatus(SpanStatusCode.OK),
    encodedAttributes: {
      [SpanAttributeKey.TRACE_ID]: enc(traceId),
      [SpanAttributeKey.SPAN_TYPE]: enc('AGENT'),
      [SpanAttributeKey.INPUTS]: enc({ question: `question ${i}` }),
      [SpanAttributeKey.OUTPUTS]: enc(`answer ${i}`),
    },
    events: [],
  });
  const llm = new Span({
    traceId,
    spanId: hex(i * 2 + 2, 16),
    parentId: root.spanId,
    name: 'chat.completions.create',
    startTimeUnixNano: startNs + 1_000_000n,
    endTimeUnixNano: endNs - 1_000_000n,
    status: new SpanStatus(SpanStatusCode.OK),
    encodedAttributes: {
      [SpanAttributeKey.TRACE_ID]: enc(traceId),
      [SpanAttributeKey.SPAN_TYPE]: enc('CHAT_MODEL'),
      [SpanAttributeKey.INPUTS]: enc({ messages: [{ role: 'user', content: `question ${i}` }] }),
      [SpanAttributeKey.OUTPUTS]: enc({ choices: [{ message: { role: 'assistant', content: `answer ${i}` } }] }),
      [SpanAttributeKey.TOKEN_USAGE]: enc({ input_tokens: 10, output_tokens: 5, total_tokens: 15 }),
    },
    events: [],
  });
  return {
    info: {
      traceId,
      traceLocation: { type: 'MLFLOW_EXPERIMENT', mlflowExperiment: { experimentId: '0' } },
      requestTime: baseMs + i,
      executionDuration: 5,
      state: 'OK',
      requestPreview: enc({ question: `question ${i}` }),
      responsePreview: enc(`answer ${i}`),
      traceMetadata: {
        [TraceMetadataKey.SCHEMA_VERSION]: '3',
        [TraceMetadataKey.TRACE_USER]: `user-${i % 100}`,
        [TraceMetadataKey.TRACE_SESSION]: `session-${i % 5000}`,
        [TraceMetadataKey.TOKEN_USAGE]: enc({ input_tokens: 10, output_tokens: 5, total_tokens: 15 }),
      },
      tags: { [TraceTagKey.TRACE_NAME]: 'answer_question' },
      assessments: [],
    },
    data: { spans: [root, llm] },
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
async function timeIt(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}
const ms = (x: number) => `${x.toFixed(1)} ms`;

const dir = mkdtempSync(join(tmpdir(), 'tw-viewer-bench-'));
try {
  let t = performance.now();
  const writer = new LocalStoreDestination(dir);
  const base = Date.now() - N;
  for (let i = 0; i < N; i++) writer.export(makeTrace(i, base));
  await writer.shutdown();
  console.log(`wrote ${N} traces (2 spans each) with LocalStoreDestination in ${ms(performance.now() - t)}`);

  t = performance.now();
  const cold = new LocalTraceStore(dir);
  const count = cold.count();
  const coldOpen = performance.now() - t;
  cold.close();
  if (count !== N) throw new Error(`store holds ${count} traces, expected ${N}`);

  const source = await openSource({ store: dir });
  const viewer = await startViewer({ source, port: 0 });
  try {
    const get = async (path: string) => {
      const res = await fetch(viewer.url + path);
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<{ traces: unknown[]; next_page_token?: string }>;
    };
    const firstColdT = performance.now();
    const first = await get('api/traces?max=50');
    const firstCold = performance.now() - firstColdT;
    if (first.traces.length !== 50 || !first.next_page_token) throw new Error('first page is not a full page with a next token');

    const indexWarm = await timeIt(20, async () => {
      const s = new LocalTraceStore(dir);
      s.count();
      s.close();
    });
    const warmIndexOnly = await timeIt(20, async () => source.listExperiments().then(() => undefined));
    const firstPage = await timeIt(20, () => get('api/traces?max=50'));
    const filtered = await timeIt(20, () => get(`api/traces?max=50&filter=${encodeURIComponent("metadata.`mlflow.trace.user` = 'user-7'")}`));
    const page2 = await timeIt(20, () => get(`api/traces?max=50&page_token=${encodeURIComponent(first.next_page_token!)}`));
    const oneTrace = await timeIt(20, () => fetch(`${viewer.url}api/traces/tr-${hex(N - 1, 32)}`).then((r) => r.text()));

    let render: number | undefined;
    let inPage: number | undefined;
    const found = await findChromium();
    if ('executablePath' in found) {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch(launchOptions(found));
      const page = await browser.newPage();
      const marks: number[] = [];
      render = await timeIt(7, async () => {
        await page.goto('about:blank');
        await page.goto(viewer.url);
        await page.waitForSelector('#app[data-state="ready"] #trace-rows tr');
        marks.push(await page.evaluate(() => performance.getEntriesByName('tw-list-ready')[0]!.startTime));
      });
      inPage = median(marks);
      await browser.close();
    }

    console.log(`\nviewer over ${N} traces (median of 20 warm runs)`);
    console.log(`  baseline: open store + read index (cold, first)      ${ms(coldOpen)}`);
    console.log(`  baseline: open store + read index (warm page cache)  ${ms(indexWarm)}`);
    console.log(`  GET /api/traces first page, first request            ${ms(firstCold)}`);
    console.log(`  GET /api/traces first page (50), warm                ${ms(firstPage)}   ${(firstPage / indexWarm).toFixed(2)}× index read   target < 300 ms: ${firstPage < 300 ? 'met' : 'MISSED'}`);
    console.log(`  GET /api/traces filtered by user (1%), warm          ${ms(filtered)}   ${(filtered / indexWarm).toFixed(2)}× index read`);
    console.log(`  GET /api/traces page 2 (page token), warm            ${ms(page2)}`);
    console.log(`  GET /api/traces/:id (one full trace), warm           ${ms(oneTrace)}`);
    console.log(`  (experiment list, warm)                              ${ms(warmIndexOnly)}`);
    if (render !== undefined) {
      console.log(`  list page in Chromium: navigationStart → 50 rows     ${ms(inPage!)}   (page's own performance mark)`);
      console.log(`  list page in Chromium: goto → rows (driver overhead) ${ms(render)}`);
    } else if ('missing' in found) {
      console.log(`  list page in Chromium: not measured, ${found.missing}`);
    }
  } finally {
    await viewer.close();
    await source.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
