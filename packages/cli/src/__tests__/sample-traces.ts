/**
 * A real traced program (runtime trace()/withSpan/startSpan/updateCurrentTrace) whose traces
 * cover what the CLI and viewer must show: nested span types, an LLM span with OpenAI chat
 * input/output and token usage/cost, an error with an exception event, user/session
 * metadata — and hostile LLM output (<script>, <img onerror>, ANSI escapes) that must stay inert.
 */
import {
  InMemoryDestination,
  SpanType,
  flushTraces,
  setDestination,
  startSpan,
  trace,
  updateCurrentTrace,
  withSpan,
  type Trace,
} from '@tracewright/runtime';

export const XSS_OUTPUT = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">\u001b[31mred\u001b[0m`;

export interface SampleOptions {
  /** Number of plain conversations (2 turns each) besides the special traces. */
  sessions?: number;
}

const retrieve = trace(async function retrieve(query: string, k: number) {
  return [{ id: 'doc-1', text: `About ${query}` }].slice(0, k);
}, SpanType.RETRIEVER);

async function chatCompletion(messages: Array<{ role: string; content: string }>, answer: string) {
  return withSpan(
    (span) => {
      span.setAttributes({
        'mlflow.chat.tokenUsage': { input_tokens: 12, output_tokens: 8, total_tokens: 20 },
        'mlflow.llm.model': 'fake-gpt',
        'mlflow.llm.cost': { input_cost: 0.00012, output_cost: 0.00016, total_cost: 0.00028 },
        'mlflow.message.format': 'openai',
      });
      return { id: 'chatcmpl-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }] };
    },
    { name: 'chat.completions.create', spanType: SpanType.CHAT_MODEL, inputs: { model: 'fake-gpt', messages } },
  );
}

const answer = trace(async function answer_question(question: string, user: string, session: string, reply: string) {
  updateCurrentTrace({ user, sessionId: session });
  const docs = await retrieve(question, 2);
  const tool = startSpan({ name: 'lookup_weather', spanType: SpanType.TOOL, inputs: { city: 'Paris' } });
  tool.end({ outputs: { tempC: 21 } });
  const completion = await chatCompletion(
    [
      { role: 'system', content: 'You are helpful.' },
      { role: 'user', content: `${question}\n\ncontext: ${docs.map((d) => d.text).join(' ')}` },
    ],
    reply,
  );
  return completion.choices[0]!.message.content;
}, SpanType.AGENT);

/** An Anthropic Messages call as autologging records it: content blocks, a system prompt, tool use. */
const anthropicChat = trace(async function ask_claude(question: string) {
  updateCurrentTrace({ user: 'carol', sessionId: 'session-carol' });
  return withSpan(
    (span) => {
      span.setAttributes({
        'mlflow.chat.tokenUsage': { input_tokens: 30, output_tokens: 12, total_tokens: 42 },
        'mlflow.message.format': 'anthropic',
      });
      return {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me check the weather.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } },
        ],
        stop_reason: 'tool_use',
      };
    },
    {
      name: 'Messages.create',
      spanType: SpanType.CHAT_MODEL,
      inputs: { model: 'claude-x', system: 'You are terse.', messages: [{ role: 'user', content: [{ type: 'text', text: question }] }] },
    },
  );
}, SpanType.AGENT);

const failing = trace(async function failing_step(input: string) {
  throw new TypeError(`cannot handle ${input}`);
}, SpanType.CHAIN);

// Trace infos carry whole milliseconds; real turns are far apart, these must not share one.
const pause = () => new Promise((resolve) => setTimeout(resolve, 3));

/** Runs the program; its traces go to the configured destination (see setTrackingUri/setDestination). */
export async function runSampleProgram(options: SampleOptions = {}): Promise<void> {
  for (let s = 0; s < (options.sessions ?? 2); s++) {
    await answer('What is MLflow?', `user-${s}`, `session-${s}`, 'MLflow is an open source platform.');
    await pause();
    await answer('And tracing?', `user-${s}`, `session-${s}`, 'Tracing records every step as spans.');
    await pause();
  }
  await answer('Say something nasty', 'mallory', 'session-evil', XSS_OUTPUT);
  await pause();
  await anthropicChat('Weather in Oslo?');
  await failing('bad input').catch(() => undefined);
  await flushTraces();
}

export async function sampleTracesInMemory(options: SampleOptions = {}): Promise<Trace[]> {
  const memory = new InMemoryDestination();
  setDestination(memory);
  try {
    await runSampleProgram(options);
  } finally {
    setDestination(undefined);
  }
  return memory.traces;
}
