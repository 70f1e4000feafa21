/** Plain-text table: left-aligned columns sized to content, each cell capped in width. */
import { escapeForTerminal } from './terminal.js';

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  /** Cells longer than this are cut with "…". */
  maxWidth?: number;
  align?: 'left' | 'right';
}

export function renderTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) =>
    columns.map((c) => {
      const text = escapeForTerminal(c.value(row).replace(/\s+/g, ' '));
      const max = c.maxWidth ?? Infinity;
      return text.length > max ? text.slice(0, max - 1) + '…' : text;
    }),
  );
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (columns[i]!.align === 'right' ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n');
}
