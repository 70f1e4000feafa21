/**
 * A user's program with zero configuration (only env vars, if the test sets them): traces two
 * calls, then runs the seed query and prints what it found as JSON. (Imports the package entry
 * by path so the root typecheck does not depend on a build.)
 */
import { getTrackingUri, getTracingDiagnostics, searchTraces, setDiagnosticLogger, trace, updateCurrentTrace } from '../../index.js';

setDiagnosticLogger(null);
const answer = trace(async function answerQuestion(question: string, user: string) {
  updateCurrentTrace({ user, sessionId: 'chat-1' });
  return `echo ${question}`;
});
await answer('hello', 'user123');
await answer('other', 'someone-else');

try {
  const page = await searchTraces({ filterString: "metadata.`mlflow.trace.user` = 'user123'" });
  const traces = page.traces.map((t) => ({
    experimentId: t.info.traceLocation.mlflowExperiment.experimentId,
    user: t.info.traceMetadata['mlflow.trace.user'],
    name: t.data.spans[0]?.name,
    spans: t.data.spans.length,
  }));
  console.log(JSON.stringify({ uri: getTrackingUri(), traces, diagnostics: getTracingDiagnostics() }));
} catch (error) {
  console.log(JSON.stringify({ uri: getTrackingUri(), error: (error as Error).message, diagnostics: getTracingDiagnostics() }));
}
