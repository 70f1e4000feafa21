/**
 * The `// @trace(...)` argument: a TypeScript expression evaluated at run time, with span
 * types resolved at build time so the user needs no `SpanType` import: a bare `TOOL`,
 * `SpanType.TOOL` and `"TOOL"` all become the string, and an unknown type is an error.
 */
import ts from 'typescript';

/** Mirrors SpanType in @tracewright/runtime model/constants.ts. */
export const SPAN_TYPES = new Set(['LLM', 'CHAT_MODEL', 'CHAIN', 'AGENT', 'TOOL', 'RETRIEVER', 'EMBEDDING', 'RERANKER', 'PARSER', 'MEMORY', 'UNKNOWN']);

export interface ResolvedOptions {
  /** JS expression text; `undefined` when the directive has no argument. */
  text: string;
  /** Offset (inside the argument text) and message of the first problem. */
  error?: { offset: number; message: string };
}

const unknownType = (t: string) => `unknown span type "${t}" in // @trace (expected one of ${[...SPAN_TYPES].join(', ')})`;

export function resolveOptions(args: string | undefined): ResolvedOptions {
  if (args === undefined) return { text: 'undefined' };
  const source = ts.createSourceFile('directive.ts', `(${args}\n)`, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const syntax = (source as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const stmt = source.statements[0];
  if (syntax.length > 0 || source.statements.length !== 1 || !stmt || !ts.isExpressionStatement(stmt) || !ts.isParenthesizedExpression(stmt.expression)) {
    const d = syntax[0];
    return { text: 'undefined', error: { offset: d ? Math.max(0, d.start - 1) : 0, message: `// @trace(...) argument is not a valid expression${d ? `: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}` : ''}` } };
  }
  const expr = stmt.expression.expression;
  const edits: Array<{ start: number; end: number; text: string }> = [];
  let error: ResolvedOptions['error'];
  const fail = (node: ts.Node, message: string) => (error ??= { offset: node.getStart(source) - 1, message });

  const spanTypeString = (node: ts.Node) => {
    if (ts.isStringLiteralLike(node) && !SPAN_TYPES.has(node.text)) fail(node, unknownType(node.text));
  };
  if (ts.isIdentifier(expr)) {
    if (SPAN_TYPES.has(expr.text)) edits.push({ start: expr.getStart(source), end: expr.end, text: JSON.stringify(expr.text) });
    else if (/^[A-Z][A-Z0-9_]*$/.test(expr.text)) fail(expr, unknownType(expr.text)); // ALL_CAPS reads as a span type
  } else spanTypeString(expr);

  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'SpanType') {
      const t = node.name.text;
      if (!SPAN_TYPES.has(t)) fail(node, unknownType(t));
      edits.push({ start: node.getStart(source), end: node.end, text: JSON.stringify(t) });
      return;
    }
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'spanType') {
      const init = node.initializer;
      if (ts.isIdentifier(init) && SPAN_TYPES.has(init.text)) {
        edits.push({ start: init.getStart(source), end: init.end, text: JSON.stringify(init.text) });
        return;
      }
      spanTypeString(init);
    }
    ts.forEachChild(node, visit);
  };
  visit(expr);
  let text = source.text.slice(expr.getStart(source), expr.end);
  const base = expr.getStart(source);
  for (const e of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, e.start - base) + e.text + text.slice(e.end - base);
  return error ? { text: 'undefined', error } : { text };
}
