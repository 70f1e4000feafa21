/**
 * Traces whose every printable field is hostile, written into a real local store: terminal
 * control sequences (ESC/OSC/CSI, BEL, NUL, C1 CSI, CR/LF), bidi overrides and isolates, and
 * session ids no MLflow string literal can hold. Recorded by the real tracer, plus one trace as
 * an importer would write it (the trace id is otherwise the tracer's own).
 */
import {
  InMemoryDestination,
  SpanStatus,
  SpanStatusCode,
  LocalStoreDestination,
  LocalTraceStore,
  setDestination,
  startSpan,
  trace,
  traceFromJsonText,
  traceToJsonText,
  updateCurrentTrace,
  withSpan,
  type Trace,
} from '@tracewright/runtime';

/** ESC-started OSC (window title) ended by BEL, SGR colour, NUL, C1 CSI, RLO, LRI, CR, LF. */
export const CONTROL = '\u001b]0;pwned\u0007\u001b[31m\u0000\u009b2J\u202e\u2066\r\n';
export const RLO = '\u202e';
/** Every character a printed field must never carry raw (newline handled separately: layout uses it). */
// eslint-disable-next-line no-control-regex
export const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** The first characters of CONTROL as the terminal escaping shows them. */
export const CONTROL_ESCAPED = '\\u001b]0;pwned\\u0007\\u001b[31m\\u0000\\u009b2J\\u202e\\u2066\\u000d\\u000a';
/** CONTROL without its NUL, for values that must also travel as command-line arguments (trace ids). */
export const ARGV_CONTROL = CONTROL.replace('\u0000', '');
export const ARGV_CONTROL_ESCAPED = CONTROL_ESCAPED.replace('\\u0000', '');

export const BOTH_QUOTES_SESSION = `it's "quoted"`;
/** Matches the LIKE lookup of BOTH_QUOTES_SESSION (`it_s "quoted"`) without being it. */
export const DECOY_SESSION = `itXs "quoted"`;
export const BIDI_NAME = `bidi${RLO}attack`;
export const HOSTILE_EXPERIMENT = `exp${CONTROL}name`;

export interface HostileStore {
  /** The trace with a hostile value in every field the tracer records. */
  controlTraceId: string;
  /** The trace whose name, user, session and span name carry RLO. */
  bidiTraceId: string;
  bothQuotesTraceId: string;
  decoyTraceId: string;
  /** Imported: the trace id carries control characters too. */
  importedTraceId: string;
  experimentId: string;
}

async function record(): Promise<Trace[]> {
  const memory = new InMemoryDestination();
  setDestination(memory);
  try {
    await trace(async function controls(input: string) {
      updateCurrentTrace({ user: `user${CONTROL}`, sessionId: `session${CONTROL}`, tags: { 'mlflow.traceName': `name${CONTROL}` } });
      withSpan(
        (span) => {
          span.setAttributes({ 'mlflow.chat.tokenUsage': { input_tokens: 1, output_tokens: 2, total_tokens: 3 } });
          return `output${CONTROL}`;
        },
        { name: `span${CONTROL}`, spanType: `TYPE${CONTROL}`, inputs: { q: `input${CONTROL}` } },
      );
      const failing = startSpan({ name: 'failing', spanType: 'TOOL' });
      failing.end({ status: new SpanStatus(SpanStatusCode.ERROR, `message${CONTROL}`) });
      return input;
    }, `AGENT${CONTROL}`)(`arg${CONTROL}`);
    await trace(async function bidi() {
      updateCurrentTrace({ user: `user${RLO}x`, sessionId: `session${RLO}x`, tags: { 'mlflow.traceName': BIDI_NAME } });
      const child = startSpan({ name: `child${RLO}span`, spanType: 'TOOL' });
      child.end({ status: new SpanStatus(SpanStatusCode.ERROR, 'failed') });
    })();
    for (const sessionId of [BOTH_QUOTES_SESSION, DECOY_SESSION]) {
      await trace(async function turn(question: string) {
        updateCurrentTrace({ sessionId, user: 'quoter' });
        return `answer to ${question}`;
      })(`question in ${sessionId}`);
    }
  } finally {
    setDestination(undefined);
  }
  return memory.traces;
}

export async function writeHostileStore(dir: string): Promise<HostileStore> {
  const traces = await record();
  const registry = new LocalTraceStore(dir);
  const experimentId = registry.getOrCreateExperiment(HOSTILE_EXPERIMENT);
  registry.close();
  const json = JSON.parse(traceToJsonText(traces[0]!));
  json.info.trace_id = `tr-${ARGV_CONTROL}imported`;
  // The state stays one of MLflow's values: the store refuses any other (a damaged record).
  json.info.tags = { ...json.info.tags, 'mlflow.traceName': `imported${CONTROL}` };
  const imported = traceFromJsonText(JSON.stringify(json));
  const all = [...traces, imported];
  for (const t of all) t.info.traceLocation.mlflowExperiment.experimentId = experimentId;
  const writer = new LocalStoreDestination(dir);
  for (const t of all) writer.export(t);
  await writer.flush();
  await writer.shutdown();
  const [control, bidi, bothQuotes, decoy] = traces.map((t) => t.info.traceId) as [string, string, string, string];
  return { controlTraceId: control, bidiTraceId: bidi, bothQuotesTraceId: bothQuotes, decoyTraceId: decoy, importedTraceId: imported.info.traceId, experimentId };
}
