/**
 * A toy knowledge base: bag-of-words "embeddings" and cosine search. Every function here is
 * traced by a `// @trace` comment alone — the transformer turns it into a span at build time.
 */

export interface Passage {
  id: string;
  text: string;
}

export interface Hit extends Passage {
  score: number;
}

const PASSAGES: Passage[] = [
  { id: 'mlflow', text: 'MLflow is an open source platform for the machine learning lifecycle, including tracing of LLM applications.' },
  { id: 'tracing', text: 'A trace records every step of a request as a tree of spans with inputs, outputs, timing and errors.' },
  { id: 'spans', text: 'Each span has a type such as LLM, RETRIEVER, TOOL or AGENT, which tells the viewer how to show it.' },
  { id: 'sessions', text: 'Traces that share the metadata key mlflow.trace.session form one conversation in the Sessions view.' },
  { id: 'tracewright', text: 'tracewright brings MLflow-style tracing to TypeScript with decorators, comments and autologging.' },
];

const tokenize = (text: string) => text.toLowerCase().match(/[a-z0-9.]+/g) ?? [];

// @trace({ spanType: 'EMBEDDING' })
export function embed(text: string): Map<string, number> {
  const vector = new Map<string, number>();
  for (const word of tokenize(text)) vector.set(word, (vector.get(word) ?? 0) + 1);
  return vector;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  for (const [word, n] of a) dot += n * (b.get(word) ?? 0);
  const norm = (v: Map<string, number>) => Math.sqrt([...v.values()].reduce((s, n) => s + n * n, 0));
  return dot === 0 ? 0 : dot / (norm(a) * norm(b));
}

const index = PASSAGES.map((p) => ({ ...p, vector: new Map<string, number>() }));
let indexed = false;

// @trace({ spanType: 'RETRIEVER' })
export async function searchPassages(query: string, k: number): Promise<Hit[]> {
  if (!indexed) {
    for (const entry of index) entry.vector = embed(entry.text);
    indexed = true;
  }
  const q = embed(query);
  return index
    .map(({ id, text, vector }) => ({ id, text, score: Number(cosine(q, vector).toFixed(3)) }))
    .filter((hit) => hit.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

// @trace({ spanType: 'PARSER' })
export function buildPrompt(question: string, hits: Hit[]): string {
  const context = hits.map((hit, i) => `[${i + 1}] ${hit.text}`).join('\n');
  return `Answer from the context.\n${context}\nQuestion: ${question}`;
}
