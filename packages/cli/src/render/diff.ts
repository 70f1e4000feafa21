/** A TraceDiff as a readable tree: one line per span, changes indented under it. */
import type { NumberDelta, TraceDiff } from '@tracewright/runtime';
import { abridge, formatDuration } from './format.js';
import { escapeForTerminal } from './terminal.js';

const MARK = { same: ' ', changed: '~', added: '+', removed: '-' } as const;

function signed(n: number, unit: string): string {
  return `${n > 0 ? '+' : ''}${unit === 'ms' ? formatDuration(Math.abs(n)).replace(/^/, n < 0 ? '-' : '') : n}${unit === 'ms' ? '' : ` ${unit}`}`;
}

function deltaText(d: NumberDelta, unit: 'ms' | 'tok'): string {
  if (d.delta === null || d.delta === 0) return '';
  return signed(d.delta, unit);
}

export function renderTraceDiff(d: TraceDiff, width = 100): string {
  const lines: string[] = [];
  lines.push(`A ${d.traceIdA}`);
  lines.push(`B ${d.traceIdB}`);
  const total = [deltaText(d.durationMs, 'ms') && `duration ${deltaText(d.durationMs, 'ms')}`, deltaText(d.totalTokens, 'tok') && `tokens ${deltaText(d.totalTokens, 'tok')}`].filter(Boolean);
  const s = d.summary;
  lines.push(`${s.changed} changed, ${s.added} added, ${s.removed} removed, ${s.same} same${total.length ? `   (${total.join(', ')})` : ''}`);
  lines.push('');
  for (const span of d.spans) {
    const name = span.path.split('/').pop()!;
    const deltas = [deltaText(span.durationMs, 'ms'), deltaText(span.totalTokens, 'tok')].filter(Boolean).join(', ');
    lines.push(`${MARK[span.status]} ${'  '.repeat(span.depth)}${escapeForTerminal(name)}${span.status === 'same' || span.status === 'changed' ? '' : ` (${span.status})`}${deltas ? `  [${deltas}]` : ''}`);
    for (const c of span.changes) {
      const where = `${c.field}${c.path.slice(1)}`;
      const before = c.before === undefined ? '(absent)' : abridge(c.before, width);
      const after = c.after === undefined ? '(absent)' : abridge(c.after, width);
      lines.push(`  ${'  '.repeat(span.depth)}  ${escapeForTerminal(where)}: ${escapeForTerminal(before)} → ${escapeForTerminal(after)}`);
    }
  }
  return lines.join('\n');
}
