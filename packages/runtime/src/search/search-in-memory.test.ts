import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FilterSyntaxError,
  InMemoryDestination,
  searchInMemory,
  setDestination,
  trace,
  updateCurrentTrace,
  withSpan,
  type Trace,
} from '../index.js';

const dest = new InMemoryDestination();

/** Ten traces made by the runtime itself: users u0..u2, env dev/prod, one LLM child span each, #4 fails. */
beforeAll(async () => {
  setDestination(dest);
  const answer = trace(
    async function answer(question: string, i: number) {
      updateCurrentTrace({ user: `u${i % 3}`, tags: { env: i % 2 ? 'prod' : 'dev' }, clientRequestId: `req-${i}` });
      const reply = withSpan(() => `reply to ${question}`, {
        name: 'llm',
        spanType: 'LLM',
        attributes: { 'mlflow.llm.model': i % 2 ? 'gpt-4o' : 'claude-3' },
      });
      if (i === 4) throw new Error('boom');
      return reply;
    },
    { spanType: 'CHAIN' },
  );
  for (let i = 0; i < 10; i++) await answer(`question ${i}`, i).catch(() => undefined);
});
afterAll(() => setDestination(undefined));

const ids = (traces: Trace[]) => traces.map((t) => t.info.clientRequestId);

function allPages(options: Parameters<typeof searchInMemory>[1]): { pages: Trace[][]; tokens: (string | undefined)[] } {
  const pages: Trace[][] = [];
  const tokens: (string | undefined)[] = [];
  let pageToken: string | undefined;
  do {
    const page = searchInMemory(dest.traces, { ...options, pageToken });
    pages.push(page.traces);
    tokens.push(page.nextPageToken);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return { pages, tokens };
}

describe('searchInMemory over runtime-made traces', () => {
  it('has the traces the runtime exported', () => {
    expect(dest.traces).toHaveLength(10);
  });

  it('pages through everything in order, a token only while rows remain', () => {
    const all = searchInMemory(dest.traces, { maxResults: 50_000 }).traces;
    const { pages, tokens } = allPages({ maxResults: 3 });
    expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 1]);
    expect(tokens.map((t) => t !== undefined)).toEqual([true, true, true, false]);
    expect(ids(pages.flat())).toEqual(ids(all));
    expect(new Set(ids(all)).size).toBe(10);
    // default order: newest first, ties by trace id
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1]!.info, all[i]!.info];
      expect(a.requestTime > b.requestTime || (a.requestTime === b.requestTime && a.traceId < b.traceId)).toBe(true);
    }
  });

  it('gives no next token when the last page is exactly full', () => {
    const { pages, tokens } = allPages({ filterString: "metadata.`mlflow.trace.user` = 'u0'", maxResults: 2, orderBy: ['tags.env', 'request_id'] });
    expect(pages.map((p) => p.length)).toEqual([2, 2]);
    expect(tokens[1]).toBeUndefined();
    const found = pages.flat();
    expect(found.map((t) => t.info.tags['env'])).toEqual(['dev', 'dev', 'prod', 'prod']);
    expect(ids(found).sort()).toEqual(['req-0', 'req-3', 'req-6', 'req-9']);
  });

  it('filters on state, tags, client ids and the trace name the runtime set', () => {
    expect(ids(searchInMemory(dest.traces, { filterString: "trace.status = 'ERROR'" }).traces)).toEqual(['req-4']);
    const prodOk = searchInMemory(dest.traces, { filterString: "tags.env = 'prod' AND NOT trace.status = 'ERROR'", orderBy: ['request_id'] });
    expect(prodOk.traces.map((t) => t.info.tags['env'])).toEqual(Array(5).fill('prod'));
    expect(searchInMemory(dest.traces, { filterString: "trace.name = 'answer' AND trace.client_request_id IN ('req-1', 'req-2')" }).traces).toHaveLength(2);
  });

  it('filters on real span data: same-span rule and full text', () => {
    const gpt = searchInMemory(dest.traces, {
      filterString: "span.type = 'LLM' AND span.attributes.`mlflow.llm.model` LIKE '%gpt-4o%'",
      orderBy: ['timestamp_ms ASC'],
    });
    expect(ids(gpt.traces).sort()).toEqual(['req-1', 'req-3', 'req-5', 'req-7', 'req-9']);
    // the CHAIN root and the LLM child are different spans
    expect(searchInMemory(dest.traces, { filterString: "span.type = 'CHAIN' AND span.name = 'llm'" }).traces).toEqual([]);
    expect(ids(searchInMemory(dest.traces, { filterString: "trace.text LIKE '%question 7%'" }).traces)).toEqual(['req-7']);
  });

  it('honours includeSpans and experimentIds', () => {
    const infos = searchInMemory(dest.traces, { includeSpans: false, maxResults: 1 });
    expect(infos.traces[0]!.data.spans).toEqual([]);
    expect(dest.traces.every((t) => t.data.spans.length === 2)).toBe(true);
    const experiment = dest.traces[0]!.info.traceLocation.mlflowExperiment.experimentId;
    expect(searchInMemory(dest.traces, { experimentIds: [experiment] }).traces).toHaveLength(10);
    expect(searchInMemory(dest.traces, { experimentIds: ['no-such-experiment'] }).traces).toHaveLength(0);
  });

  it('refuses a page token from another search, and validates even an empty input', () => {
    const first = searchInMemory(dest.traces, { maxResults: 2, filterString: "tags.env = 'dev'" });
    expect(first.nextPageToken).toBeDefined();
    expect(() => searchInMemory(dest.traces, { maxResults: 2, filterString: "tags.env = 'prod'", pageToken: first.nextPageToken })).toThrow(
      FilterSyntaxError,
    );
    expect(() => searchInMemory([], { filterString: "trace.status > 'OK'" })).toThrow(/Invalid comparator '>'/);
    expect(() => searchInMemory([], { maxResults: 0 })).toThrow(/must be a positive integer/);
    expect(() => searchInMemory([], { orderBy: ['nope'] })).toThrow(/Invalid ordering key/);
  });

  it('is what InMemoryDestination.searchTraces answers', async () => {
    const page = await dest.searchTraces({ filterString: "trace.status = 'OK'", maxResults: 4 });
    expect(page.traces).toHaveLength(4);
    expect(page).toEqual(searchInMemory(dest.traces, { filterString: "trace.status = 'OK'", maxResults: 4 }));
    const one = await dest.getTrace(page.traces[0]!.info.traceId);
    expect(one).toBe(page.traces[0]);
    expect(await dest.getTrace('tr-missing')).toBeUndefined();
  });
});
