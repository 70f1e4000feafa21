/**
 * The OTLP resource our spans claim, from the standard variables: OTEL_SERVICE_NAME wins over
 * service.name in OTEL_RESOURCE_ATTRIBUTES (k=v,k2=v2, percent-encoded values), default
 * "unknown_service:node" as OpenTelemetry SDKs do.
 */
import type { OtlpAttribute, OtlpEnvelope } from './span-view.js';
import { processEnv } from '../../platform/env.js';

export const SCOPE_NAME = 'tracewright';
export const SCOPE_VERSION = '0.2.0';

export function parseKeyValueList(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const part of raw.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!key) continue;
    try {
      out[decodeURIComponent(key)] = decodeURIComponent(value);
    } catch {
      out[key] = value;
    }
  }
  return out;
}

export function envelopeFromEnv(env: NodeJS.ProcessEnv = processEnv()): OtlpEnvelope {
  const attrs = parseKeyValueList(env.OTEL_RESOURCE_ATTRIBUTES);
  if (env.OTEL_SERVICE_NAME) attrs['service.name'] = env.OTEL_SERVICE_NAME;
  attrs['service.name'] ??= 'unknown_service:node';
  attrs['telemetry.sdk.language'] ??= 'nodejs';
  attrs['telemetry.sdk.name'] ??= SCOPE_NAME;
  attrs['telemetry.sdk.version'] ??= SCOPE_VERSION;
  const resourceAttributes: OtlpAttribute[] = Object.entries(attrs);
  return { resourceAttributes, scopeName: SCOPE_NAME, scopeVersion: SCOPE_VERSION };
}
