/**
 * `@tracewright/runtime/openai-agents`: records OpenAI Agents SDK (`@openai/agents`) runs —
 * agents (AGENT), function tools (TOOL), model calls (LLM, with token usage), handoffs,
 * guardrails — through the SDK's tracing-processor interface, beside the user's own processors.
 *
 *   import { autolog } from '@tracewright/runtime/openai-agents';
 *   autolog();                          // or autolog({ exclusive: true }): no export to OpenAI
 *
 * The SDK keeps one trace provider per process (on `globalThis`), so one registration covers
 * its CommonJS and ES module copies, loaded before or after this call. The SDK turns its own
 * tracing off when NODE_ENV is "test" or OPENAI_AGENTS_DISABLE_TRACING is set; then nothing
 * reaches any processor (`setTracingDisabled(false)` turns it on). Spans the user opens inside
 * a tool function nest under the run's caller, not under the TOOL span (the SDK keeps its own
 * span context, which a processor cannot make current for tracewright).
 */
import { createAutolog, type AutologOptions, type AutologResult } from '../common/autolog.js';
import { TracewrightAgentsProcessor } from './processor.js';

export type { AutologResult } from '../common/autolog.js';

export interface AgentsAutologOptions extends AutologOptions {
  /**
   * true replaces the SDK's processors with ours, which turns off its default exporter (it
   * posts traces to OpenAI). Default false: ours is added beside the existing ones.
   */
  exclusive?: boolean;
}

const PROCESSOR_KEY = Symbol.for('tracewright.autolog.openai-agents.processor');

/** One processor per process, shared by the ESM and CJS builds of this package. */
function processor(): TracewrightAgentsProcessor {
  const g = globalThis as unknown as Record<symbol, TracewrightAgentsProcessor | undefined>;
  return (g[PROCESSOR_KEY] ??= new TracewrightAgentsProcessor());
}

interface AgentsModule {
  addTraceProcessor?: (p: unknown) => void;
  setTraceProcessors?: (p: unknown[]) => void;
  getGlobalTraceProvider?: () => object;
}

let exclusive = false;

function patchCopy(mod: Record<string, unknown> | undefined): boolean {
  const sdk = mod as AgentsModule | undefined;
  if (typeof sdk?.addTraceProcessor !== 'function' || typeof sdk.getGlobalTraceProvider !== 'function') return false;
  const ours = processor();
  ours.active = true;
  if (exclusive && typeof sdk.setTraceProcessors === 'function') {
    sdk.setTraceProcessors([ours]);
    ours.registeredWith.add(sdk.getGlobalTraceProvider());
    return true;
  }
  const provider = sdk.getGlobalTraceProvider();
  if (!ours.registeredWith.has(provider)) {
    ours.registeredWith.add(provider);
    sdk.addTraceProcessor(ours);
  }
  return true;
}

const base = createAutolog({
  name: 'openai-agents',
  specifier: '@openai/agents-core',
  identity: 'Agent',
  patchCopy,
  // The SDK cannot remove one processor; ours stops recording instead.
  unpatch: () => {
    processor().active = false;
  },
});

/**
 * Registers tracewright's processor with the Agents SDK. Idempotent; works without `await`
 * (the SDK's CommonJS copy is loaded synchronously and shares the provider with its ES module
 * copy). `autolog({ disable: true })` stops recording.
 */
export function autolog(options: AgentsAutologOptions = {}): Promise<AutologResult> {
  if (options !== null && typeof options === 'object') exclusive = options.exclusive === true;
  return base(options);
}
