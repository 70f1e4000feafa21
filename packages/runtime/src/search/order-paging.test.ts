import { describe, expect, it } from 'vitest';
import type { TraceInfo } from '../model/trace.js';
import {
  compileOrderBy,
  decodePageToken,
  encodePageToken,
  pageTokenContext,
  validateMaxResults,
} from './index.js';
import { corpus } from './__tests__/corpus.js';
import { filterSyntaxError } from './__tests__/filter-error.js';

function order(orderBy?: string[]): string[] {
  return corpus
    .map((t) => t.info)
    .sort(compileOrderBy(orderBy))
    .map((i) => i.traceId.slice(3));
}

const thrown = filterSyntaxError;

describe('order_by', () => {
  it.each<[string[] | undefined, string[]]>([
    [undefined, ['c', 'd', 'e', 'a', 'b']],
    [[], ['c', 'd', 'e', 'a', 'b']],
    [['timestamp_ms DESC'], ['c', 'd', 'e', 'a', 'b']],
    [['timestamp ASC'], ['b', 'a', 'e', 'd', 'c']],
    [['trace.timestamp_ms asc'], ['b', 'a', 'e', 'd', 'c']],
    // c has no execution time: last in both directions
    [['execution_time_ms DESC'], ['b', 'd', 'a', 'e', 'c']],
    [['execution_time_ms'], ['e', 'a', 'd', 'b', 'c']],
    [['execution_time_ms DESC', 'status ASC'], ['b', 'd', 'a', 'e', 'c']],
    [['end_time_ms DESC'], ['c', 'd', 'e', 'a', 'b']],
    [['status ASC', 'timestamp_ms ASC'], ['b', 'c', 'a', 'd', 'e']],
    // production a, b (tie → newest first), staging c, then d, e without the tag
    [['tags.env'], ['c', 'd', 'e', 'a', 'b']],
    [['tags.environment'], ['a', 'b', 'c', 'd', 'e']],
    [['tags.environment DESC'], ['c', 'a', 'b', 'd', 'e']],
    [['metadata.`mlflow.trace.user`'], ['c', 'a', 'd', 'b', 'e']],
    [['name DESC'], ['d', 'a', 'b', 'c', 'e']],
    [['run_id'], ['a', 'b', 'c', 'd', 'e']],
    [['request_id DESC'], ['e', 'd', 'c', 'b', 'a']],
    [['experiment_id'], ['c', 'd', 'e', 'a', 'b']],
  ])('%j', (orderBy, expected) => {
    expect(order(orderBy)).toEqual(expected);
  });

  it('breaks timestamp ties by request_id ascending', () => {
    const base = corpus[0]!.info;
    const infos: TraceInfo[] = ['tr-z', 'tr-m', 'tr-b'].map((traceId) => ({ ...base, traceId }));
    expect(infos.sort(compileOrderBy()).map((i) => i.traceId)).toEqual(['tr-b', 'tr-m', 'tr-z']);
  });

  it.each<[string[], number, string, string, number]>([
    [['timestamp_ms DESC, status ASC'], 0, ',', "Invalid order_by clause 'timestamp_ms DESC, status ASC'. Could not be parsed.", 17],
    [['timestamp_ms DOWN'], 0, 'DOWN', "Invalid order_by clause 'timestamp_ms DOWN'. Could not be parsed.", 13],
    [['timestamp_ms DESC DESC'], 0, 'DESC', 'Could not be parsed', 18],
    [[''], 0, '', "Invalid order_by clause ''. Could not be parsed.", 0],
    [['status', 'timestamp', 'timestamp_ms DESC'], 2, 'timestamp_ms', "`order_by` contains duplicate fields: ['timestamp', 'timestamp_ms']", 0],
    [['client_request_id'], 0, 'client_request_id', "Invalid ordering key in order_by clause 'client_request_id'", 0],
    [['span.name'], 0, 'span.name', 'Invalid ordering key', 0],
    [['trace.text DESC'], 0, 'trace.text', 'Invalid ordering key', 0],
    [["timestamp_ms 'x'"], 0, "'x'", 'Could not be parsed', 13],
  ])('rejects %j', (orderBy, index, token, reason, position) => {
    const e = thrown(() => compileOrderBy(orderBy));
    expect(e.kind).toBe('order_by');
    expect(e.filter).toBe(orderBy[index]);
    expect(e.token).toBe(token);
    expect(e.position).toBe(position);
    expect(e.reason).toContain(reason);
  });
});

describe('page tokens', () => {
  it('round-trips offsets, with and without a context', () => {
    expect(decodePageToken(encodePageToken(0))).toBe(0);
    expect(decodePageToken(encodePageToken(250, 'abc'), 'abc')).toBe(250);
  });

  it("uses MLflow's base64 JSON {offset} form, and reads MLflow-issued tokens", () => {
    expect(JSON.parse(Buffer.from(encodePageToken(7), 'base64').toString())).toEqual({ offset: 7 });
    const mlflowToken = Buffer.from('{"offset": 100}').toString('base64');
    expect(decodePageToken(mlflowToken, pageTokenContext({ filterString: "status = 'OK'" }))).toBe(100);
  });

  it.each([
    ['not base64!', 'could not base64-decode'],
    [Buffer.from('hello').toString('base64'), 'could not base64-decode to JSON'],
    [Buffer.from('{"offset": -1}').toString('base64'), 'non-negative integer "offset"'],
    [Buffer.from('{"offset": 1.5}').toString('base64'), 'non-negative integer "offset"'],
    [Buffer.from('{"page": 2}').toString('base64'), 'non-negative integer "offset"'],
    [Buffer.from('null').toString('base64'), 'non-negative integer "offset"'],
    ['', 'could not base64-decode'],
  ])('rejects %j', (token, reason) => {
    const e = thrown(() => decodePageToken(token));
    expect(e.kind).toBe('page token');
    expect(e.token).toBe(token);
    expect(e.reason).toContain(reason);
  });

  it('refuses a token issued for a different search', () => {
    const token = encodePageToken(100, pageTokenContext({ filterString: "status = 'OK'" }));
    const e = thrown(() => decodePageToken(token, pageTokenContext({ filterString: "status = 'ERROR'" })));
    expect(e.reason).toContain('issued for a different search');
  });

  it('derives the context from filter, order_by and the experiment set (order-insensitive)', () => {
    const a = pageTokenContext({ filterString: 'x', orderBy: ['status'], experimentIds: ['1', '2'] });
    expect(pageTokenContext({ filterString: 'x', orderBy: ['status'], experimentIds: ['2', '1'] })).toBe(a);
    expect(pageTokenContext({ filterString: 'x', orderBy: ['status DESC'], experimentIds: ['1', '2'] })).not.toBe(a);
    expect(pageTokenContext({ filterString: 'y', orderBy: ['status'], experimentIds: ['1', '2'] })).not.toBe(a);
  });
});

describe('max_results', () => {
  it('defaults to 100 and accepts 1..50000', () => {
    expect(validateMaxResults(undefined)).toBe(100);
    expect(validateMaxResults(1)).toBe(1);
    expect(validateMaxResults(50_000)).toBe(50_000);
  });

  it.each([
    [0, "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer"],
    [-5, "Invalid value -5 for parameter 'max_results' supplied. It must be a positive integer"],
    [1.5, 'It must be a positive integer'],
    [Number.NaN, 'It must be a positive integer'],
    [50_001, "Invalid value 50001 for parameter 'max_results' supplied. It must be at most 50000"],
  ])('rejects %s', (n, reason) => {
    const e = thrown(() => validateMaxResults(n));
    expect(e.kind).toBe('max_results');
    expect(e.reason).toContain(reason);
  });
});
