import * as __tw$ from "@tracewright/runtime/inject"; // @trace(RETRIEVER)
function retrieve(query: string) { return __tw$.fn("retrieve", "RETRIEVER", { query }, () => {
  return [`${query}-doc1`, `${query}-doc2`];
}); }

// @trace(LLM)
async function answer(question: string) { return __tw$.fn("answer", "LLM", { question }, async () => {
  const docs = retrieve(question);
  await null;
  return `${question}: ${docs.length} docs`;
}); }

// @trace(AGENT)
export async function run(log: (x: unknown) => void) { return __tw$.fn("run", "AGENT", { log }, async () => {
  const a = await answer('why');
  log(a);
  return a;
}); }
