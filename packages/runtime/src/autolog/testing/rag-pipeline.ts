/**
 * The seed's combining shape: a `@Trace(CHAIN)` pipeline → `@Trace(RETRIEVER)` → the
 * integration's call, given as `llm(context, question)`. Its source is compiled by the real
 * TypeScript compiler in the vitest tests (scenarios.ts) and bundled by esbuild into the test
 * programmes run as child processes.
 */
import { Trace, SpanType } from '@tracewright/runtime';

class Retriever {
  @Trace(SpanType.RETRIEVER)
  async search(query: string) {
    return [{ page_content: `tracing records spans for ${query}`, metadata: { source: 'tracing.md' } }];
  }
}

export class RagApp {
  retriever = new Retriever();
  constructor(private readonly llm: (context: string, question: string) => Promise<string>) {}

  @Trace(SpanType.CHAIN)
  async ragQuery(question: string) {
    const docs = await this.retriever.search(question);
    return this.llm(docs.map((d) => d.page_content).join(' '), question);
  }
}
