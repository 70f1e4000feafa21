/**
 * The span tree both Mastra majors must give for the `helper` agent (a tool, `searchDocs`)
 * answering `question` in two model requests: the tool call, then the fake server's echo.
 */
export const helperRunWithTool = (question: string) => ({
  name: "agent run: 'helper'",
  type: 'AGENT',
  inputs: question,
  outputs: { text: `Echo: ${question}` },
  children: [
    {
      name: "llm: 'gpt-4o-mini'",
      type: 'CHAT_MODEL',
      children: [
        { name: 'step: 0', type: 'LLM', children: [{ name: "tool: 'searchDocs'", type: 'TOOL', inputs: { query: question }, outputs: `docs about ${question}`, children: [] }] },
        { name: 'step: 1', type: 'LLM', outputs: { text: `Echo: ${question}` }, children: [] },
      ],
    },
  ],
});
