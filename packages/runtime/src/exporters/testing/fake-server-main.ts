/**
 * Runs the fake MLflow server as its own process (benchmarks, manual CLI/viewer checks):
 *   node --import tsx packages/runtime/src/exporters/testing/fake-server-main.ts [--port N] [--version 3.7.0] [--no-otlp]
 * Prints `{"url": ...}` on the first stdout line; exits when stdin closes or on SIGTERM.
 */
import { startFakeMlflowServer } from './fake-mlflow-server.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const server = await startFakeMlflowServer({
  port: option('--port') ? Number(option('--port')) : undefined,
  version: option('--version'),
  otlp: !args.includes('--no-otlp'),
});
// Benchmarks send many thousands of requests: keep memory flat by not recording bodies.
if (args.includes('--no-record')) server.requests.push = () => 0;
if (args.includes('--no-record')) server.otlpRequests.push = () => 0;
console.log(JSON.stringify({ url: server.url }));
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
