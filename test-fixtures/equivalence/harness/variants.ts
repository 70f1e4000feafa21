/**
 * One program source, every way a user can trace it. A program marks the methods and function
 * declarations it wants traced with a line `//<traced>` directly above them; this module turns
 * the marked source into each variant:
 *
 *   untraced   the marker line is emptied
 *   trace      `import { trace } from '@tracewright/runtime'`; after the class / function,
 *              `Cls.prototype.m = trace(Cls.prototype.m)` (static: `Cls.m = …`), `f = trace(f)`
 *   decorator  `@Trace()` above each marked method (TC39 decorators, compiled by tsc); marked
 *              function declarations, which cannot carry decorators, are wrapped as in `trace`
 *   comment    `// @trace` above each marked site (compiled by tspc, or run through the loader)
 *
 * The marker is neither a directive nor matched by the loader's `@trace` pre-filter, so the
 * untraced source is exactly what a user without tracewright would write.
 */
import ts from 'typescript';

export const MARKER = '//<traced>';
export const SOURCE_VARIANTS = ['untraced', 'trace', 'decorator', 'comment'] as const;
export type SourceVariant = (typeof SOURCE_VARIANTS)[number];

interface Site {
  /** 0-based line of the marker. */
  markerLine: number;
  indent: string;
  kind: 'method' | 'function';
  name: string;
  /** Method: the class it belongs to. */
  className?: string;
  isStatic: boolean;
  /** Offset where a `trace(...)` re-assignment goes (end of the class or function). */
  wrapAt: number;
}

function fail(file: string, line: number, message: string): never {
  throw new Error(`${file}:${line + 1}: ${message}`);
}

function findSites(source: string, file: string): Site[] {
  const lines = source.split('\n');
  const markers = new Map<number, string>();
  lines.forEach((text, i) => {
    if (text.trim() === MARKER) markers.set(i, /^\s*/.exec(text)![0]);
  });
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line;
  const sites: Site[] = [];
  const take = (node: ts.Node, site: Omit<Site, 'markerLine' | 'indent'>) => {
    const markerLine = lineOf(node.getStart(sf)) - 1;
    const indent = markers.get(markerLine);
    if (indent === undefined) return;
    markers.delete(markerLine);
    sites.push({ ...site, markerLine, indent });
  };
  for (const statement of sf.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) {
      take(statement, { kind: 'function', name: statement.name.text, isStatic: false, wrapAt: statement.end });
    }
    if (ts.isClassDeclaration(statement)) {
      for (const member of statement.members) {
        if (!ts.isMethodDeclaration(member)) continue;
        const isStatic = member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) ?? false;
        if (!ts.isIdentifier(member.name)) {
          if (markers.has(lineOf(member.getStart(sf)) - 1)) fail(file, lineOf(member.getStart(sf)), 'only methods with plain names can be marked');
          continue;
        }
        if (!statement.name) fail(file, lineOf(member.getStart(sf)), 'a marked method needs a named class');
        take(member, { kind: 'method', name: member.name.text, className: statement.name.text, isStatic, wrapAt: statement.end });
      }
    }
  }
  for (const line of markers.keys()) fail(file, line, `${MARKER} must be directly above a method or a function declaration`);
  return sites.sort((a, b) => a.markerLine - b.markerLine);
}

function wrapStatement(site: Site): string {
  if (site.kind === 'function') return `\n// @ts-ignore re-assigning a function declaration, as a user tracing it in place would\n${site.name} = trace(${site.name});`;
  const owner = site.isStatic ? site.className! : `${site.className}.prototype`;
  return ` ${owner}.${site.name} = trace(${owner}.${site.name});`;
}

/** The source of one variant. Throws (file:line) on a marker that attaches to nothing. */
export function makeVariant(source: string, file: string, variant: SourceVariant): string {
  const sites = findSites(source, file);
  if (sites.length === 0) throw new Error(`${file}: no ${MARKER} marker: the program would trace nothing`);
  const lineReplacement = (site: Site): string => {
    if (variant === 'comment') return `${site.indent}// @trace`;
    if (variant === 'decorator' && site.kind === 'method') return `${site.indent}@Trace()`;
    return '';
  };
  const wrapped = sites.filter((s) => variant === 'trace' || (variant === 'decorator' && s.kind === 'function'));
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') lineStarts.push(i + 1);
  const edits: Array<{ at: number; remove: number; insert: string }> = [
    ...sites.map((s) => ({ at: lineStarts[s.markerLine]!, remove: s.indent.length + MARKER.length, insert: lineReplacement(s) })),
    ...wrapped.map((s) => ({ at: s.wrapAt, remove: 0, insert: wrapStatement(s) })),
  ];
  // Back to front, so earlier offsets stay valid; at one offset, the later site first, so the
  // insertions end up in source order.
  let text = source;
  const order = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.at - a.at || b.i - a.i);
  for (const e of order) text = text.slice(0, e.at) + e.insert + text.slice(e.at + e.remove);
  const lines = text.split('\n');
  const needs = [variant === 'trace' || wrapped.length > 0 ? 'trace' : '', variant === 'decorator' && sites.some((s) => s.kind === 'method') ? 'Trace' : ''].filter(Boolean);
  // On the first line, so every other line keeps its number.
  if (needs.length > 0) lines[0] = `import { ${needs.join(', ')} } from '@tracewright/runtime'; ${lines[0]}`;
  return lines.join('\n');
}
