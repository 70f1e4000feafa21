/**
 * This process's tracer: switched off, sampling, a custom destination, and what
 * getTracingDiagnostics() counted — traces dropped, failures by site, spans left open — each
 * named with the site that caused it.
 */
import { isConfiguredDestination } from '../config/configuration.js';
import { getTracingDiagnostics } from '../core/diagnostics.js';
import { runtimeState } from '../core/state.js';
import { waitingTraces } from '../core/trace-buffer.js';
import type { Findings } from './finding.js';

export function checkTracingSwitches(findings: Findings): void {
  const state = runtimeState();
  if (!state.enabled) {
    findings.warning('tracing.disabled', 'tracing is disabled (disableTracing() was called): nothing is recorded', 'call enableTracing(), or remove the disableTracing() call');
  }
  const ratio = state.samplingRatio;
  const fromEnv = process.env.MLFLOW_TRACE_SAMPLING_RATIO ? ' (MLFLOW_TRACE_SAMPLING_RATIO)' : '';
  if (ratio === 0) {
    findings.error('tracing.sampling-zero', `the sampling ratio is 0${fromEnv}: every trace is dropped`, 'unset MLFLOW_TRACE_SAMPLING_RATIO or setSamplingRatio(1)');
  } else if (ratio < 1) {
    findings.warning('tracing.sampling', `the sampling ratio is ${ratio}${fromEnv}: about ${Math.round((1 - ratio) * 100)}% of traces are not recorded`, 'unset MLFLOW_TRACE_SAMPLING_RATIO or setSamplingRatio(1) while debugging');
  }
}

/** Failure sites that mean traces were not delivered (rather than a value recorded less fully). */
const DELIVERY_SITE = /^(export|write|configure|flush|encode|shutdown|graft|build trace|init|MLFLOW_EXPERIMENT_NAME)/;

export function checkRuntimeCounters(findings: Findings): void {
  const state = runtimeState();
  if (state.destination && !isConfiguredDestination(state.destination)) {
    findings.info('destination.custom', `setDestination() sends traces to ${state.destination.description}, not to the tracking URI`);
  }
  const diag = getTracingDiagnostics();
  for (const [destination, count] of Object.entries(diag.dropped)) {
    findings.error(
      'export.dropped',
      `${count} trace(s) were dropped by ${destination}`,
      'fix the destination problem reported next to it (unreachable server, unwritable store), then re-run',
      destination,
    );
  }
  for (const [site, count] of Object.entries(diag.errors)) {
    const delivery = DELIVERY_SITE.test(site);
    const message = `${site} failed ${count} time(s)${delivery ? ': traces may not have been delivered' : ': what was recorded there is incomplete'}`;
    const fix = site === 'span processor' ? 'fix the span processor passed to configureTracing({ spanProcessors }) so it does not throw' : 'see the first "[tracewright] … failed" warning on stderr for the cause';
    if (delivery) findings.error('tracing.failure', message, fix, site);
    else findings.warning('tracing.failure', message, fix, site);
  }
  for (const [site, count] of Object.entries(diag.unfinishedSpans)) {
    const reason = /\((\w+)\)$/.exec(site)?.[1];
    const fix =
      reason === 'abandoned'
        ? 'consume the generator/stream to the end or call its return()'
        : reason === 'exit'
          ? 'await the work (or flushTraces()) before the process exits'
          : 'await the child work inside the traced function (fire-and-forget spans outlive their trace)';
    findings.warning('spans.unfinished', `${count} span(s) were still open and ended by tracewright (status ERROR)`, fix, site);
  }
  for (const waiting of waitingTraces()) {
    const open = waiting.openSpans.length ? waiting.openSpans.join(', ') : 'work on another thread';
    findings.warning(
      'spans.open-children',
      `trace ${waiting.traceId} (root "${waiting.rootSpan}") has ended but is not exported yet: it waits for open span(s) ${open} (at most 30 s, or until the process ends)`,
      'end those spans before the root returns (await them, consume the stream), or end them explicitly',
      open,
    );
  }
}
