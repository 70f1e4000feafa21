/**
 * The span tree of one trace as terminal text: one line per span with its type, duration and
 * status, followed by abridged inputs/outputs (and the error, if any). Every field from the
 * trace is escaped (render/terminal.ts): a span type or name is as untrusted as an output.
 */
import { SpanStatusCode, type Span, type Trace } from '@tracewright/runtime';
import { summarize } from '../summary.js';
import { abridge, formatDuration, formatInfoDuration, formatTime } from './format.js';
import { escapeForTerminal as field } from './terminal.js';

export interface SpanNode {
  span: Span;
  children: SpanNode[];
}

/** Rebuilds the tree from parent ids; spans whose parent is missing become roots. */
export function buildSpanTree(spans: readonly Span[]): SpanNode[] {
  const nodes = new Map<string, SpanNode>();
  for (const span of spans) nodes.set(span.spanId, { span, children: [] });
  const roots: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.span.parentId ? nodes.get(node.span.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const byStart = (a: SpanNode, b: SpanNode) => (a.span.startTimeUnixNano < b.span.startTimeUnixNano ? -1 : a.span.startTimeUnixNano > b.span.startTimeUnixNano ? 1 : 0);
  for (const node of nodes.values()) node.children.sort(byStart);
  return roots.sort(byStart);
}

export interface TreeOptions {
  /** Characters of inputs/outputs shown per span (0 hides them). */
  width?: number;
}

export function renderTraceTree(trace: Trace, options: TreeOptions = {}): string {
  const width = options.width ?? 100;
  const s = summarize(trace.info);
  const header = [[s.traceId, s.name, s.state, formatTime(s.requestTime), formatInfoDuration(s.durationMs)].map(field).join('  ')];
  const facts: string[] = [];
  if (s.user) facts.push(`user=${field(s.user)}`);
  if (s.session) facts.push(`session=${field(s.session)}`);
  if (s.totalTokens !== undefined) facts.push(`tokens=${s.totalTokens} (in ${s.inputTokens ?? 0}, out ${s.outputTokens ?? 0})`);
  if (s.totalCost !== undefined) facts.push(`cost=$${s.totalCost.toFixed(6)}`);
  if (facts.length) header.push(facts.join('  '));

  const lines: string[] = [];
  const walk = (node: SpanNode, prefix: string, last: boolean, top: boolean) => {
    const branch = top ? '' : last ? '└─ ' : '├─ ';
    const span = node.span;
    const error = span.status.statusCode === SpanStatusCode.ERROR ? `  ERROR${errorText(span)}` : '';
    const usage = span.tokenUsage;
    const tokens = usage && typeof usage === 'object' ? `  ${Number(usage.total_tokens) || 0} tok` : '';
    lines.push(`${prefix}${branch}${field(String(span.name))} [${field(String(span.spanType))}] ${formatDuration(span.durationMs)}${tokens}${error}`);
    const childPrefix = top ? prefix : prefix + (last ? '   ' : '│  ');
    const detailPrefix = childPrefix + (node.children.length ? '│  ' : '   ');
    if (width > 0) {
      const inputs = span.inputs;
      const outputs = span.outputs;
      if (inputs !== undefined) lines.push(`${detailPrefix}in:  ${abridge(inputs, width)}`);
      if (outputs !== undefined) lines.push(`${detailPrefix}out: ${abridge(outputs, width)}`);
    }
    node.children.forEach((child, i) => walk(child, childPrefix, i === node.children.length - 1, false));
  };
  for (const root of buildSpanTree(trace.data.spans)) walk(root, '', true, true);
  return [...header, '', ...lines].join('\n');
}

/** ": <type>: <description>" — the status says what, the exception event (if any) of which type. */
function errorText(span: Span): string {
  const description = span.status.description;
  if (!description) return '';
  const type = span.events.find((e) => e.name === 'exception')?.attributes['exception.type'];
  const typed = typeof type === 'string' && type && !description.startsWith(`${type}:`) ? `${type}: ${description}` : description;
  return ': ' + abridge(typed, 80);
}
