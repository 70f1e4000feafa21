/**
 * What the server supports, from `GET /version` (spec §5.3, §5.5): the OTLP span route since
 * 3.4, gzip bodies on it since ~3.7. Asked once per destination.
 */
import { failureFromResponse, isRetryableStatus } from '../delivery/failure.js';
import { responseText } from '../http/exchange.js';
import type { MlflowRestClient } from './rest-client.js';

export interface ServerCapabilities {
  version: string | undefined;
  otlpSpans: boolean;
  otlpGzip: boolean;
}

export function parseVersion(text: string): [number, number, number] | undefined {
  const m = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

function atLeast(v: [number, number, number], major: number, minor: number): boolean {
  return v[0] > major || (v[0] === major && v[1] >= minor);
}

export function capabilitiesOf(versionText: string | undefined): ServerCapabilities {
  const v = versionText === undefined ? undefined : parseVersion(versionText);
  // Dev builds report versions like "3.8.1.dev0" (parsed fine); an unknown answer means an
  // old or unusual server: use the artifact path that every 3.x server accepts.
  return { version: versionText?.trim(), otlpSpans: !!v && atLeast(v, 3, 4), otlpGzip: !!v && atLeast(v, 3, 7) };
}

/** Network errors and 429/5xx propagate (so delivery retries); any other non-2xx means "old server". */
export async function fetchCapabilities(client: MlflowRestClient): Promise<ServerCapabilities> {
  const response = await client.raw('GET', '/version');
  if (response.status >= 200 && response.status < 300) return capabilitiesOf(responseText(response));
  if (isRetryableStatus(response.status)) throw failureFromResponse(response, 'GET /version');
  return capabilitiesOf(undefined);
}
