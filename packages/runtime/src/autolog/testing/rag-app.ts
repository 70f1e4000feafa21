/**
 * The seed's "combining" program as TypeScript source (compiled by the real compiler in each
 * integration's combining test): a `@Trace(CHAIN)` pipeline calling a `@Trace(RETRIEVER)`
 * retriever and then the integration's LLM call, given as `answer` (it sees `this.llm`,
 * `question` and `context`, and returns the answer text).
 */
export function ragAppSource(imports: string, answer: string): string {
  return `
import { Trace, SpanType } from '@tracewright/runtime';
${imports}

class Retriever {
  @Trace(SpanType.RETRIEVER)
  async search(query) {
    return [{ page_content: 'MLflow Tracing records spans for ' + query }];
  }
}

export class RagApp {
  retriever = new Retriever();
  constructor(llm) { this.llm = llm; }

  @Trace(SpanType.CHAIN)
  async ragQuery(question) {
    const docs = await this.retriever.search(question);
    const context = 'Context: ' + docs.map((d) => d.page_content).join(' ');
    ${answer}
  }
}
`;
}
