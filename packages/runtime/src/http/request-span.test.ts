import { describe, expect, test } from 'vitest';
import { useMemoryDestination } from '../core/__tests__/memory.js';
import { getTracingDiagnostics } from '../core/diagnostics.js';
import { TRACE_SESSION_KEY, TRACE_USER_KEY } from '../model/constants.js';
import { pathOf, resolveHttpTracingOptions, traceRequest, type HttpTracingOptions } from './request-span.js';

const memory = useMemoryDestination();

function handle(options: HttpTracingOptions, headers: unknown, url = '/chat?token=SECRET-QUERY') {
  const tracing = resolveHttpTracingOptions('test', options);
  const request = { who: 'req-object' };
  const result = traceRequest(tracing, { method: 'post', path: pathOf(url), headers, request }, (finish) => {
    finish({ status: 201 });
    finish({ status: 500 }); // later calls do nothing
    return 'handled';
  });
  expect(result).toBe('handled');
  const t = memory.traces.at(-1)!;
  return { t, root: t.data.spans[0]! };
}

describe('request span core', () => {
  test('custom user/session headers (any case, Headers object); identify() wins; query string never recorded', () => {
    const headers = new Headers({ 'X-Account': 'acct-1', 'X-Conv': 'conv-1', 'X-Session-ID': 'ignored' });
    let { t, root } = handle({ userHeader: 'X-Account', sessionHeader: 'x-conv' }, headers);
    expect([t.info.traceMetadata[TRACE_USER_KEY], t.info.traceMetadata[TRACE_SESSION_KEY]]).toEqual(['acct-1', 'conv-1']);
    expect(root.name).toBe('POST /chat');
    expect(JSON.stringify(root.attributes)).not.toContain('SECRET-QUERY');
    expect(root.attributes['http.response.status_code']).toBe(201);
    ({ t } = handle({ identify: (req: { who: string }) => ({ user: req.who }) }, { 'x-user-id': 'from-header', 'x-session-id': 's' }));
    expect([t.info.traceMetadata[TRACE_USER_KEY], t.info.traceMetadata[TRACE_SESSION_KEY]]).toEqual(['req-object', 's']);
  });

  test('secret headers (always-secret and configured, any case) are never recorded; recordHeaders: false records none', () => {
    const headers = { Authorization: 'Bearer SECRET-1', 'proxy-authorization': 'SECRET-2', 'X-Api-Key': 'SECRET-3', 'X-Tenant-Token': 'SECRET-4', accept: 'json' };
    let { root } = handle({ secretHeaders: ['x-tenant-token'] }, headers);
    expect((root.inputs as { headers: unknown }).headers).toEqual({ accept: 'json' });
    ({ root } = handle({ recordHeaders: false }, headers));
    expect(root.inputs).toEqual({ method: 'POST', path: '/chat' });
  });

  test('a throwing identify() is reported, the request goes on with header values', () => {
    const { t } = handle({ identify: () => { throw new Error('nope'); } }, { 'x-user-id': 'u' });
    expect(t.info.traceMetadata[TRACE_USER_KEY]).toBe('u');
    expect(getTracingDiagnostics().errors['identify HTTP request user/session']).toBe(1);
  });

  test('bad options are clear errors naming the option', () => {
    expect(() => resolveHttpTracingOptions('tracewrightExpress(options)', { userHeader: 'bad header' })).toThrow(/tracewrightExpress\(options\): option "userHeader" must be a header name or false/);
    expect(() => resolveHttpTracingOptions('x', { identify: 'no' as never })).toThrow(/"identify" must be a function/);
    expect(() => resolveHttpTracingOptions('x', { secretHeaders: 'authorization' as never })).toThrow(/"secretHeaders" must be an array/);
  });
});
