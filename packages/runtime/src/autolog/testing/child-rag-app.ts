/**
 * The seed's combining shape for test programmes run as child processes (bundled by esbuild,
 * so the decorators are compiled with them): a `@Trace(CHAIN)` pipeline → `@Trace(RETRIEVER)`
 * → the integration's call, given as `llm(context, question)`.
 */
import { Trace } from '../../api/decorator.js';
import { SpanType } from '../../model/constants.js';

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
