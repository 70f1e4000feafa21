/**
 * Test program: the chat service (chat-app.ts) in its own process, its tool answering without
 * any I/O. Traces go where MLFLOW_TRACKING_URI says.
 */
import { serveChat } from './chat-app.js';

serveChat(async (question) => {
  await new Promise((r) => setImmediate(r));
  return `docs about ${question}`;
});
