/**
 * The default destination on edge runtimes (Workers, Vercel Edge, browsers), where there is no
 * disk for the local store: an MLflow server or OTLP collector named by the standard variables
 * when the runtime has `process.env` (workerd with nodejs_compat, Vercel), otherwise memory —
 * with a one-time warning, because traces kept in an isolate's memory are gone when it is.
 */
import { runtimeState } from '../core/state.js';
import { reportInternalError } from '../core/diagnostics.js';
import type { TraceDestination } from '../export/destination.js';
import { InMemoryDestination } from '../export/in-memory.js';
import { FanOutDestination } from '../config/fan-out.js';
import { createMlflowDestination } from '../exporters/mlflow/index.js';
import { createOtlpDestination } from '../exporters/otlp/index.js';
import { processEnv } from '../platform/env.js';

export const IN_MEMORY_WARNING =
  '[tracewright] no trace destination is configured on this runtime: traces are kept in memory and will not be kept ' +
  '(they are lost when the isolate ends). Call setDestination(createMlflowDestination({ trackingUri })) or ' +
  'setDestination(createOtlpDestination({ endpoint })), or set MLFLOW_TRACKING_URI / OTEL_EXPORTER_OTLP_ENDPOINT.';

function fromEnvironment(): TraceDestination | undefined {
  const env = processEnv();
  const destinations: TraceDestination[] = [];
  const trackingUri = env.MLFLOW_TRACKING_URI?.trim();
  if (trackingUri && /^https?:\/\//i.test(trackingUri)) destinations.push(createMlflowDestination({ trackingUri }));
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT) destinations.push(createOtlpDestination());
  if (destinations.length === 0) return undefined;
  return destinations.length === 1 ? destinations[0] : new FanOutDestination(destinations);
}

export function createEdgeDefaultDestination(): TraceDestination {
  try {
    const configured = fromEnvironment();
    if (configured) return configured;
  } catch (error) {
    reportInternalError('configure tracing destination', error);
  }
  runtimeState().diagnostics.log?.(IN_MEMORY_WARNING);
  return new InMemoryDestination();
}

/** Installs the edge default unless another entry (Node's, loaded alongside) already did. */
export function installEdgeDefaultDestination(): void {
  const state = runtimeState();
  state.destinationFactory ??= createEdgeDefaultDestination;
}
