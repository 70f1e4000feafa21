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
import { patchMethod } from '../common/patch-registry.js';
import { TracewrightAgentsProcessor } from './processor.js';

const INTEGRATION = 'openai-agents';

export type { AutologResult } from '../common/autolog.js';

export interface AgentsAutologOptions extends AutologOptions {
  /**
   * true replaces the SDK's processors with ours, which turns off its default exporter (it
   * posts traces to OpenAI), and keeps it so: a later `setTraceProcessors()` also ends up with
   * ours alone. Default false: ours is added beside the existing ones (and kept when they are set).
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

/**
 * Loading `@openai/agents` (each of its module copies) calls `setTraceProcessors([its OpenAI
 * exporter])`, which would drop a processor added earlier; so the provider's `setProcessors`
 * keeps ours in whatever list it is given (or, exclusive, uses ours alone).
 */
function keepOursOnSet(provider: object, ours: TracewrightAgentsProcessor): void {
  patchMethod(INTEGRATION, provider, 'setProcessors', (original) =>
    function (this: unknown, processors: unknown) {
      let list = processors;
      if (exclusive) list = [ours];
      else if (Array.isArray(processors) && !processors.includes(ours)) list = [...processors, ours];
      return original.call(this, list);
    },
  );
}

function patchCopy(mod: Record<string, unknown> | undefined): boolean {
  const sdk = mod as AgentsModule | undefined;
  if (typeof sdk?.addTraceProcessor !== 'function' || typeof sdk.getGlobalTraceProvider !== 'function') return false;
  const ours = processor();
  ours.active = true;
  const provider = sdk.getGlobalTraceProvider();
  keepOursOnSet(provider, ours);
  if (exclusive && typeof sdk.setTraceProcessors === 'function') sdk.setTraceProcessors([ours]);
  else if (!ours.registeredWith.has(provider)) sdk.addTraceProcessor(ours);
  ours.registeredWith.add(provider);
  return true;
}

const base = createAutolog({
  name: INTEGRATION,
  specifier: '@openai/agents-core',
  identity: 'Agent',
  patchCopy,
  // The SDK cannot remove one processor; ours stops recording instead (and is added again,
  // not twice, by the next autolog()).
  unpatch: () => {
    const ours = processor();
    ours.active = false;
    ours.registeredWith = new WeakSet();
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
