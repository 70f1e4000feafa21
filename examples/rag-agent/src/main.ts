/**
 * tracewright demo: runs a small retrieval agent for two users, and a second agent built on the
 * Vercel AI SDK for a third, against a bundled fake model server, writes the traces to ./mlruns (the embedded default store, no server needed), then
 * prints a trace tree and a search by user, and says how to open the viewer.
 */
import OpenAI from 'openai';
import { flushTraces, getLastActiveTraceId, getTrace, searchTraces, setExperiment, tracingContext } from '@tracewright/runtime';
import { autolog } from '@tracewright/runtime/openai';
import { createOpenAI } from '@ai-sdk/openai';
import { renderTraceTree } from '@tracewright/cli';
import { RagAgent } from './agent.js';
import { AiSdkAgent } from './ai-sdk-agent.js';
import { startFakeModelServer } from './fake-model-server.js';

const CONVERSATIONS = [
  { user: 'alice', session: 'alice-chat-1', questions: ['What is MLflow?', 'What does a trace record?', 'What is the weather in Paris?'] },
  { user: 'bob', session: 'bob-chat-1', questions: ['What is the weather in Oslo?', 'How do sessions work?'] },
];

async function main(): Promise<void> {
  const server = await startFakeModelServer();
  try {
    await autolog(); // every OpenAI client call becomes a CHAT_MODEL span
    const experimentId = await setExperiment('rag-agent-demo');
    const agent = new RagAgent(new OpenAI({ baseURL: server.baseURL, apiKey: 'not-needed' }));

    const firstTraceIds: string[] = [];
    for (const { user, session, questions } of CONVERSATIONS) {
      for (const question of questions) {
        // Everything traced inside carries the end user and the conversation id.
        const answer = await tracingContext({ user, sessionId: session }, () => agent.answer(question));
        console.log(`${user}: ${question}\n  → ${answer}`);
      }
      firstTraceIds.push(getLastActiveTraceId()!);
    }

    // The second agent: the same question answered through the Vercel AI SDK.
    const aiSdkAgent = new AiSdkAgent(createOpenAI({ baseURL: server.baseURL, apiKey: 'not-needed' }).chat('demo-model'));
    const question = 'What is the weather in Paris?';
    const aiSdkAnswer = await tracingContext({ user: 'carol', sessionId: 'carol-chat-1' }, () => aiSdkAgent.answer(question));
    console.log(`carol (AI SDK agent): ${question}\n  → ${aiSdkAnswer}`);
    const aiSdkTraceId = getLastActiveTraceId()!;
    await flushTraces();

    const traceId = firstTraceIds[0]!;
    const trace = await getTrace(traceId);
    console.log(`\n── the last trace of alice's conversation ──\n`);
    console.log(trace ? renderTraceTree(trace, { width: 70 }) : `(trace ${traceId} not found)`);

    const aiSdkTrace = await getTrace(aiSdkTraceId);
    console.log(`\n── carol's question, answered by the AI SDK agent ──\n`);
    console.log(aiSdkTrace ? renderTraceTree(aiSdkTrace, { width: 70 }) : `(trace ${aiSdkTraceId} not found)`);

    const filterString = "metadata.`mlflow.trace.user` = 'alice'";
    const { traces } = await searchTraces({ experimentIds: [experimentId], filterString, orderBy: ['timestamp_ms ASC'] });
    console.log(`\n── searchTraces({ filterString: "${filterString}" }) → ${traces.length} traces ──\n`);
    for (const t of traces) {
      const usage = t.info.traceMetadata['mlflow.trace.tokenUsage'];
      const tokens = usage ? (JSON.parse(usage) as { total_tokens: number }).total_tokens : 0;
      console.log(`  ${t.info.traceId}  ${t.info.state}  ${String(t.info.executionDuration ?? '?').padStart(4)} ms  ${String(tokens).padStart(4)} tokens  ${t.info.requestPreview}`);
    }

    console.log(`
Traces are in ./mlruns. Look at them:
  npx tracewright ui                       # then open http://127.0.0.1:5000/
  npx tracewright traces search --filter "metadata.\\\`mlflow.trace.session\\\` = 'bob-chat-1'"
  npx tracewright traces show ${traceId}`);
  } finally {
    await server.close();
  }
}

await main();
