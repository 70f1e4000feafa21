// @trace(RETRIEVER)
function retrieve(query: string) {
  return [`${query}-doc1`, `${query}-doc2`];
}

// @trace(LLM)
async function answer(question: string) {
  const docs = retrieve(question);
  await null;
  return `${question}: ${docs.length} docs`;
}

// @trace(AGENT)
export async function run(log: (x: unknown) => void) {
  const a = await answer('why');
  log(a);
  return a;
}
