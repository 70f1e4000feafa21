/**
 * Overhead of autologging per call for the provider integrations (Google GenAI, Bedrock,
 * Mistral, Ollama, Cohere) and the frameworks ax, LlamaIndex.TS and Mastra: the same call (plain and streamed) against each provider's fake
 * server on 127.0.0.1, untraced vs autologged, in one run. Each traced call is paired with an
 * untraced one right before or after it (random order, tracing disabled for the untraced side,
 * as in autolog.bench.ts). Reports wall and CPU medians (µs), the difference and the ratio. Run alone:
 *   node --conditions=@tracewright/source --import tsx bench/providers-autolog.bench.ts
 */
import { GoogleGenAI } from '@google/genai';
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Ollama } from 'ollama';
import { CohereClientV2 } from 'cohere-ai';
import { InMemoryDestination, disableTracing, enableTracing, setDestination, withSpan } from '@tracewright/runtime';
import * as googleGenai from '@tracewright/runtime/google-genai';
import * as bedrock from '@tracewright/runtime/bedrock';
import * as mistral from '@tracewright/runtime/mistral';
import * as ollama from '@tracewright/runtime/ollama';
import * as cohere from '@tracewright/runtime/cohere';
import * as axAutolog from '@tracewright/runtime/ax';
import * as llamaindex from '@tracewright/runtime/llamaindex';
import { ai as axAI, ax } from '@ax-llm/ax';
import { OpenAI as LlamaOpenAI } from '@llamaindex/openai';
import * as mastra from '@tracewright/runtime/mastra';
import { Mastra } from '@mastra/core/mastra';
import { Agent } from '@mastra/core/agent';
import { startFakeGoogleServer } from '../packages/runtime/src/autolog/testing/fake-google-server.ts';
import { startFakeBedrockServer } from '../packages/runtime/src/autolog/testing/fake-bedrock-server.ts';
import { startFakeMistralServer } from '../packages/runtime/src/autolog/testing/fake-mistral-server.ts';
import { startFakeOllamaServer } from '../packages/runtime/src/autolog/testing/fake-ollama-server.ts';
import { startFakeCohereServer } from '../packages/runtime/src/autolog/testing/fake-cohere-server.ts';
import { startFakeOpenAIServer } from '../packages/runtime/src/autolog/testing/fake-openai-server.ts';
import type { FakeServer } from '../packages/runtime/src/autolog/testing/http.ts';

// @mistralai/mistralai is installed under packages/runtime (its zod range differs from the root's):
// load the copy the runtime's autolog resolves.
const runtimeRequire = createRequire(new URL('../packages/runtime/package.json', import.meta.url));
const { Mistral } = (await import(pathToFileURL(runtimeRequire.resolve('@mistralai/mistralai')).href)) as typeof import('@mistralai/mistralai');

const N = Number(process.env.BENCH_N ?? 300);
const BUDGET_MS = Number(process.env.BENCH_PROVIDER_MS ?? 12_000);
const PROMPT = 'benchmark the tracing overhead please';

interface Provider {
  name: string;
  start(): Promise<FakeServer>;
  autolog(options?: { disable?: boolean }): Promise<unknown>;
  calls(url: string): { plain: () => Promise<unknown>; stream: () => Promise<unknown> };
}

const drain = async (iterable: AsyncIterable<unknown> | undefined) => {
  for await (const _ of iterable ?? []) void _;
};

const PROVIDERS: Provider[] = [
  {
    name: 'google-genai',
    start: () => startFakeGoogleServer(),
    autolog: googleGenai.autolog,
    calls(url) {
      const ai = new GoogleGenAI({ apiKey: 'bench-key', httpOptions: { baseUrl: url } });
      return {
        plain: () => ai.models.generateContent({ model: 'gemini-bench', contents: PROMPT }),
        stream: async () => drain(await ai.models.generateContentStream({ model: 'gemini-bench', contents: PROMPT })),
      };
    },
  },
  {
    name: 'bedrock',
    start: () => startFakeBedrockServer(),
    autolog: bedrock.autolog,
    calls(url) {
      const client = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId: 'AKIABENCH', secretAccessKey: 'bench-secret' }, maxAttempts: 1 });
      const messages = [{ role: 'user' as const, content: [{ text: PROMPT }] }];
      return {
        plain: () => client.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages })),
        stream: async () => drain((await client.send(new ConverseStreamCommand({ modelId: 'amazon.nova-lite-v1:0', messages }))).stream),
      };
    },
  },
  {
    name: 'mistral',
    start: () => startFakeMistralServer(),
    autolog: mistral.autolog,
    calls(url) {
      const client = new Mistral({ apiKey: 'bench-key', serverURL: url, retryConfig: { strategy: 'none' } });
      const messages = [{ role: 'user' as const, content: PROMPT }];
      return {
        plain: () => client.chat.complete({ model: 'mistral-bench', messages }),
        stream: async () => drain(await client.chat.stream({ model: 'mistral-bench', messages })),
      };
    },
  },
  {
    name: 'ollama',
    start: () => startFakeOllamaServer(),
    autolog: ollama.autolog,
    calls(url) {
      const client = new Ollama({ host: url });
      const messages = [{ role: 'user', content: PROMPT }];
      return {
        plain: () => client.chat({ model: 'llama-bench', messages }),
        stream: async () => drain(await client.chat({ model: 'llama-bench', messages, stream: true })),
      };
    },
  },
  {
    name: 'cohere',
    start: () => startFakeCohereServer(),
    autolog: cohere.autolog,
    calls(url) {
      const client = new CohereClientV2({ token: 'bench-key', environment: url, maxRetries: 0 } as ConstructorParameters<typeof CohereClientV2>[0]);
      const messages = [{ role: 'user' as const, content: PROMPT }];
      return {
        plain: () => client.chat({ model: 'command-bench', messages }),
        stream: async () => drain(await client.chatStream({ model: 'command-bench', messages })),
      };
    },
  },
  {
    // One program call: the CHAIN span and the LLM span of its one request (ax streams by default).
    name: 'ax',
    start: () => startFakeOpenAIServer(),
    autolog: axAutolog.autolog,
    calls(url) {
      const service = axAI({ name: 'openai', apiKey: 'bench-key', apiURL: `${url}/v1`, config: { model: 'gpt-4o-mini' } });
      const program = ax('question:string -> answer:string');
      return {
        plain: () => program.forward(service, { question: PROMPT }, { stream: false }),
        stream: () => program.forward(service, { question: PROMPT }),
      };
    },
  },
  {
    name: 'llamaindex',
    start: () => startFakeOpenAIServer(),
    autolog: llamaindex.autolog,
    calls(url) {
      // LlamaIndex binds chat per instance when it is built: made on first use, after autolog().
      let llm: LlamaOpenAI | undefined;
      const model = () => (llm ??= new LlamaOpenAI({ model: 'gpt-4o-mini', apiKey: 'bench-key', baseURL: `${url}/v1`, maxRetries: 0 }));
      const messages = [{ role: 'user' as const, content: PROMPT }];
      return {
        plain: () => model().chat({ messages }),
        stream: async () => drain(await model().chat({ messages, stream: true })),
      };
    },
  },
  {
    // One agent run: AGENT, CHAT_MODEL and LLM spans from Mastra's tracing events (its own no-op exporter on both sides).
    name: 'mastra',
    start: () => startFakeOpenAIServer(),
    autolog: mastra.autolog,
    calls(url) {
      const agent = new Agent({ name: 'bench', instructions: 'be brief', model: { id: 'openai/gpt-4o-mini', url: `${url}/v1`, apiKey: 'bench-key' } });
      const exporter = { name: 'noop', exportEvent: async () => undefined, shutdown: async () => undefined };
      const app = new Mastra({ agents: { bench: agent }, observability: { configs: { bench: { serviceName: 'bench', exporters: [exporter] } } }, logger: false });
      const a = app.getAgent('bench');
      return {
        plain: () => a.generate(PROMPT),
        stream: async () => drain((await a.stream(PROMPT)).textStream),
      };
    },
  },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(provider: Provider, memory: InMemoryDestination): Promise<void> {
  const server = await provider.start();
  const calls = provider.calls(server.url);
  const wall: Record<string, number[]> = {};
  // CPU time of this process per call (client + fake server, both sides alike): steadier than
  // wall time on a shared machine.
  const cpu: Record<string, number[]> = {};
  let failed = 0;
  const time = async (key: string, fn: () => Promise<unknown>) => {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    try {
      await fn();
    } catch {
      // A connection reset by the loaded machine: not a sample.
      failed++;
      return;
    }
    (wall[key] ??= []).push(Number(process.hrtime.bigint() - t0) / 1000);
    const c = process.cpuUsage(c0);
    (cpu[key] ??= []).push(c.user + c.system);
  };
  const pair = async (kind: 'plain' | 'stream') => {
    const tracedFirst = Math.random() < 0.5;
    for (const traced of tracedFirst ? [true, false] : [false, true]) {
      if (traced) enableTracing();
      else disableTracing();
      await time(`${kind}/${traced}`, calls[kind]);
    }
    enableTracing();
  };
  await provider.autolog();
  for (let i = 0; i < 50; i++) {
    await pair('plain');
    await pair('stream');
  }
  for (const k of Object.keys(wall)) {
    wall[k] = [];
    cpu[k] = [];
  }
  const started = Date.now();
  let pairs = 0;
  while (pairs < N && Date.now() - started < BUDGET_MS) {
    await pair('plain');
    await pair('stream');
    if (++pairs % 100 === 0) memory.clear();
  }
  await provider.autolog({ disable: true });
  await server.close();
  for (const kind of ['plain', 'stream']) {
    const base = median(wall[`${kind}/false`]!);
    const traced = median(wall[`${kind}/true`]!);
    const cpuBase = median(cpu[`${kind}/false`]!);
    const cpuTraced = median(cpu[`${kind}/true`]!);
    console.log(
      `  ${provider.name.padEnd(13)} ${kind.padEnd(6)} wall: untraced ${base.toFixed(0).padStart(6)} µs, autologged ${traced.toFixed(0).padStart(6)} µs (${(traced / base).toFixed(2)}x)` +
        ` | CPU: untraced ${cpuBase.toFixed(0).padStart(5)} µs, autologged ${cpuTraced.toFixed(0).padStart(5)} µs, +${(cpuTraced - cpuBase).toFixed(0)} µs (${(cpuTraced / cpuBase).toFixed(2)}x) | ${pairs} pairs${failed ? `, ${failed} failed calls skipped` : ''}`,
    );
  }
}

async function main() {
  const memory = new InMemoryDestination();
  setDestination(memory);
  // An app that traces anything has AsyncLocalStorage active; include that in both sides.
  await withSpan(async () => undefined, { name: 'warm-up' });
  console.log('autolog overhead per provider call (fake servers on 127.0.0.1, wall-clock medians)');
  const only = process.env.BENCH_PROVIDERS?.split(',');
  for (const provider of PROVIDERS) if (!only || only.includes(provider.name)) await measure(provider, memory);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
