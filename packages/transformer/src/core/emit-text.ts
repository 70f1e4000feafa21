/**
 * Text emitter: renders plans as insertions into the original source with magic-string
 * (bundlers, loaders, Jest, the TS 7 CLI). It only ever inserts, and every template is one
 * line placed on an existing line, so original line numbers survive and the source map is a
 * column shift per line (insertion-map.ts).
 *
 * Nesting convention (locked by tests): plans are rendered outer-to-inner; openers go in with
 * `appendRight` (inner after outer), closers with `prependLeft` (inner before outer), and at a
 * shared index a closer (left) always precedes an opener (right).
 */
import MagicString, { type SourceMap } from 'magic-string';
import ts from 'typescript';
import type { Analysis } from './plan.js';
import * as T from './templates.js';
import type { ModuleKind } from './module-kind.js';
import { insertionMap } from './insertion-map.js';
import { nextToken } from './tokens.js';

export interface TextEmit {
  code: string;
  map: SourceMap;
}

export function emitText(sf: ts.SourceFile, analysis: Analysis, kind: ModuleKind, runtimeModule: string): TextEmit {
  const magic = new MagicString(sf.text);
  /** Every insertion (offset, length), for the source map. */
  const inserts: Array<[number, number]> = [];
  let multiline = false;
  const record = (at: number, text: string) => {
    inserts.push([at, text.length]);
    multiline ||= text.includes('\n');
  };
  const s = {
    appendRight: (at: number, text: string) => void (magic.appendRight(at, text), record(at, text)),
    appendLeft: (at: number, text: string) => void (magic.appendLeft(at, text), record(at, text)),
    prependLeft: (at: number, text: string) => void (magic.prependLeft(at, text), record(at, text)),
  };
  const wrap = (start: number, end: number, t: T.Template) => {
    if (start === end) return void s.appendRight(start, t.open + t.close); // empty hole: `{}`
    s.appendRight(start, t.open);
    s.prependLeft(end, t.close);
  };
  for (const plan of analysis.plans) {
    switch (plan.kind) {
      case 'fn': {
        const body = plan.node.body;
        if (!ts.isBlock(body)) {
          wrap(body.getStart(sf), body.end, T.fnExpression(plan));
          break;
        }
        const kept = plan.keep === 0 ? undefined : body.statements[plan.keep - 1]!;
        const start = kept ? kept.end : body.getStart(sf) + 1;
        const t = T.fnStatements(plan);
        // `super(x)` / "use strict" without a semicolon: the opener starts a new statement on that line.
        // A deferred call's closer starts with a statement: end the body's last one if ASI would not.
        const last = body.statements[body.statements.length - 1];
        const closeSemi = plan.deferred && last && last !== kept && !endsWithSemicolon(sf, last) ? ';' : '';
        wrap(start, body.end - 1, { open: (kept && !endsWithSemicolon(sf, kept) ? ';' : '') + ' ' + t.open, close: closeSemi + t.close + ' ' });
        break;
      }
      case 'return': {
        const value = plan.node.expression;
        if (value) {
          wrap(value.getStart(sf), value.end, T.returnValue(plan));
          break;
        }
        // Bare `return`: a closer at the keyword's end (inner before the body's closer there).
        const t = T.returnValue(plan);
        s.prependLeft(plan.node.getStart(sf) + 'return'.length, ` ${t.open}undefined${t.close}${endsWithSemicolon(sf, plan.node) ? '' : ';'}`);
        break;
      }
      case 'loop':
        wrap(plan.outer.getStart(sf), plan.outer.end, T.loopStatement(plan));
        wrap(plan.node.statement.getStart(sf), plan.node.statement.end, T.loopBody(plan));
        break;
      case 'suspend': {
        const node = plan.node;
        // A bare `yield` ends its statement by ASI when the next line starts with `(`, `[`, `+`,
        // a template or a regex; the wrapper's `)` would let that line continue it. (First: the
        // closers below go in front of it.)
        if (!node.expression && endedByAsi(sf, node.end)) s.prependLeft(node.end, ';');
        wrap(node.getStart(sf), node.end, T.suspendOuter(plan.scope));
        const operand = T.suspendOperand(plan.scope, plan.item, plan.awaited);
        if (node.expression) wrap(node.expression.getStart(sf), node.expression.end, operand);
        else s.prependLeft(node.end, ` ${operand.open}undefined${operand.close}`);
        break;
      }
      case 'reenter':
        s.appendRight(plan.block.getStart(sf) + 1, ` ${T.reenter(plan.scope)}`);
        break;
      case 'for-await': {
        const { node, outer } = plan;
        wrap(outer.getStart(sf), outer.end, T.forAwaitStatement(plan.scope));
        wrap(node.expression.getStart(sf), node.expression.end, T.suspendOperand(plan.scope));
        wrap(node.statement.getStart(sf), node.statement.end, T.forAwaitBody(plan.scope));
        break;
      }
      case 'disposal': {
        const declaration = plan.container.statements[plan.after]!;
        s.appendLeft(declaration.end, (endsWithSemicolon(sf, declaration) ? ' ' : '; ') + T.disposalGuard(plan));
        if (plan.outer) wrap(plan.outer.getStart(sf), plan.outer.end, T.disposalStatement(plan));
        break;
      }
      case 'decorator': {
        const args = plan.call.arguments;
        const info = T.buildInfo(plan.params);
        if (args.length === 0) s.appendLeft(plan.call.end - 1, `undefined, ${info}`);
        else s.appendLeft(args[0]!.end, `, ${info}`);
        break;
      }
    }
  }
  if (analysis.needsRuntime) {
    const last = analysis.prologue ? sf.statements[analysis.prologue - 1]! : undefined;
    const separator = last ? (endsWithSemicolon(sf, last) ? ' ' : '; ') : '';
    s.prependLeft(importPosition(sf, analysis.prologue), separator + T.runtimeImport(kind, runtimeModule));
  }
  // Templates are single-line (see templates.ts), so the map is a column shift per line; the
  // generic path stays for safety should an inserted text ever span lines.
  const map = multiline ? magic.generateMap({ source: sf.fileName, includeContent: true, hires: 'boundary' }) : insertionMap(sf.text, sf.fileName, inserts);
  return { code: magic.toString(), map };
}

function endsWithSemicolon(sf: ts.SourceFile, statement: ts.Statement): boolean {
  return sf.text.charCodeAt(statement.end - 1) === 59; // ';'
}

/** Tokens that may follow a bare `yield` on the next line without ASI ending the statement. */
const CONTINUES_YIELD = new Set([ts.SyntaxKind.CommaToken, ts.SyntaxKind.CloseParenToken, ts.SyntaxKind.CloseBracketToken, ts.SyntaxKind.CloseBraceToken, ts.SyntaxKind.SemicolonToken, ts.SyntaxKind.ColonToken, ts.SyntaxKind.EndOfFileToken]);

/** Whether the bare `yield` ending at `end` was ended by automatic semicolon insertion. */
function endedByAsi(sf: ts.SourceFile, end: number): boolean {
  const next = nextToken(sf, end);
  return next.afterLineBreak && !CONTINUES_YIELD.has(next.kind);
}

/** After a BOM, a shebang line and a directive prologue; otherwise the very start (line 1). */
function importPosition(sf: ts.SourceFile, prologue: number): number {
  if (prologue > 0) return sf.statements[prologue - 1]!.end;
  const text = sf.text;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (text.startsWith('#!', pos)) {
    const nl = text.indexOf('\n', pos);
    pos = nl === -1 ? text.length : nl + 1;
  }
  return pos;
}
