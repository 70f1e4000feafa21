// Writes a small store with the given runtime build (version 1 bodies when run against 36a8bca).
import { rmSync } from 'node:fs';
const rt = await import(process.argv[2]);
const root = process.argv[3];
rmSync(root, { recursive: true, force: true });
const store = new rt.LocalStoreDestination(root);
rt.setDestination(store);
const tool = rt.trace(function lookup(query, options) { return { hits: [`caf\u00e9 \u{1F600}`, 'line one\nline two', 'quote " and \\ backslash'], lone: 'x\ud800y', empty: '' }; }, { name: 'lookup', spanType: 'RETRIEVER' });
const agent = rt.trace(function agent(question) {
  rt.updateCurrentTrace({ user: 'golden-user', tags: { fixture: 'v1-store' } });
  const a = tool(question, { k: 3, '__proto__': 'x' });
  return { answer: a.hits[0], question };
}, { name: 'agent', spanType: 'AGENT' });
agent('what is in the v1 store? \u00fc\u4e2d');
agent('second trace');
await rt.flushTraces();
await store.shutdown();
