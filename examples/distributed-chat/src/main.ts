/**
 * Runs the two services as separate processes sharing one local store (./mlruns), sends one
 * chat request, stops them, and prints the single trace the request produced.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { getTrace, searchTraces, setTrackingUri, type Span } from '@tracewright/runtime';

const STORE = fileURLToPath(new URL('../mlruns', import.meta.url));

function service(file: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(new URL(file, import.meta.url))], {
    env: { ...process.env, MLFLOW_TRACKING_URI: STORE, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (line: string) => {
      const port = /listening (\d+)/.exec(line)?.[1];
      if (port) resolve({ child, url: `http://127.0.0.1:${port}` });
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}

const stop = (child: ChildProcess) => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')));

const retrieval = await service('./retrieval-service.ts');
const gateway = await service('./chat-gateway.ts', { RETRIEVAL_URL: retrieval.url });
const response = await fetch(`${gateway.url}/chat`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'X-User-ID': 'alice', 'X-Session-ID': 'session-1' },
  body: JSON.stringify({ question: 'What does the traceparent carry?' }),
});
console.log('answer:', ((await response.json()) as { answer: string }).answer);
await Promise.all([stop(gateway.child), stop(retrieval.child)]);

setTrackingUri(STORE);
const [latest] = (await searchTraces({ filterString: "metadata.`mlflow.trace.user` = 'alice'", orderBy: ['timestamp_ms DESC'], maxResults: 1 })).traces;
const trace = (await getTrace(latest!.info.traceId))!;
console.log(`\ntrace ${trace.info.traceId} (user ${trace.info.traceMetadata['mlflow.trace.user']}, session ${trace.info.traceMetadata['mlflow.trace.session']}):`);
const print = (span: Span, depth: number): void => {
  console.log(`${'  '.repeat(depth)}${span.name} [${span.spanType}]`);
  for (const child of trace.data.spans.filter((s) => s.parentId === span.spanId)) print(child, depth + 1);
};
print(trace.data.spans.find((s) => s.parentId === null)!, 1);
