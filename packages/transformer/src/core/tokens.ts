/**
 * What the token at an offset of the source really is, asked of the parse tree rather than of
 * the text: a comment that *starts* there, an identifier, a string literal. Text searches find
 * candidates cheaply; these answers keep prose (`// see the // @trace docs`, a comment naming
 * `__tw$`) from counting as code. Works on trees parsed without parent pointers.
 */
import ts from 'typescript';

/** The deepest node whose token range [getStart, end) holds `pos` (the file itself if none). */
function innermost(sf: ts.SourceFile, pos: number): ts.Node {
  let node: ts.Node = sf;
  for (;;) {
    const child: ts.Node | undefined = ts.forEachChild(node, (c) => (c.getStart(sf) <= pos && pos < c.end ? c : undefined));
    if (!child) return node;
    node = child;
  }
}

/** Nodes that are one token whose text is not code: `pos` inside them is inside that token. */
function isSingleToken(node: ts.Node): boolean {
  return ts.isIdentifier(node) || ts.isPrivateIdentifier(node) || ts.isLiteralExpression(node) || ts.isTemplateLiteralToken(node) || ts.isJsxText(node);
}

const scanner = ts.createScanner(ts.ScriptTarget.Latest, false);

/** Whether a comment (`//` or `/*`) begins exactly at `pos`. */
export function commentStartsAt(sf: ts.SourceFile, pos: number): boolean {
  const node = innermost(sf, pos);
  if (node !== sf && isSingleToken(node)) return false;
  // `pos` is in trivia or punctuation between `node`'s children. Scan from the last child
  // boundary before it: up to `pos` there are only comments, whitespace and punctuation or
  // keyword tokens (regexes and templates are nodes), which the scanner reads unambiguously.
  let from = node.pos;
  ts.forEachChild(node, (c) => {
    if (c.pos <= pos && c.pos > from) from = c.pos;
    if (c.end <= pos && c.end > from) from = c.end;
  });
  scanner.setLanguageVariant(sf.languageVariant);
  scanner.setText(sf.text);
  scanner.resetTokenState(from);
  try {
    for (;;) {
      const kind = scanner.scan();
      const start = scanner.getTokenStart();
      if (start === pos) return kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia;
      if (start > pos || kind === ts.SyntaxKind.EndOfFileToken) return false;
    }
  } finally {
    scanner.setText(undefined);
  }
}

/** The first token at or after `pos` (a token boundary), and whether a line break precedes it. */
export function nextToken(sf: ts.SourceFile, pos: number): { kind: ts.SyntaxKind; afterLineBreak: boolean } {
  scanner.setLanguageVariant(sf.languageVariant);
  scanner.setText(sf.text);
  scanner.resetTokenState(pos);
  try {
    let afterLineBreak = false;
    for (;;) {
      const kind = scanner.scan();
      if (kind === ts.SyntaxKind.NewLineTrivia) afterLineBreak = true;
      else if (kind === ts.SyntaxKind.MultiLineCommentTrivia) afterLineBreak ||= /[\n\r\u2028\u2029]/.test(scanner.getTokenText());
      else if (kind !== ts.SyntaxKind.WhitespaceTrivia && kind !== ts.SyntaxKind.SingleLineCommentTrivia && kind !== ts.SyntaxKind.ShebangTrivia && kind !== ts.SyntaxKind.ConflictMarkerTrivia) return { kind, afterLineBreak };
    }
  } finally {
    scanner.setText(undefined);
  }
}

/** Whether an identifier (a real one: not in a comment, string or a longer name) begins at `pos`. */
export function identifierStartsAt(sf: ts.SourceFile, pos: number): boolean {
  const node = innermost(sf, pos);
  return (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && node.getStart(sf) === pos;
}

/** Whether a string literal whose value is `value` begins at `pos` (its opening quote). */
export function stringLiteralAt(sf: ts.SourceFile, pos: number, value: string): boolean {
  const node = innermost(sf, pos);
  return ts.isStringLiteral(node) && node.getStart(sf) === pos && node.text === value;
}

/** Offset of the first real identifier that starts with `prefix`, or -1. */
export function identifierWithPrefix(sf: ts.SourceFile, prefix: string): number {
  const text = sf.text;
  for (let i = text.indexOf(prefix); i !== -1; i = text.indexOf(prefix, i + prefix.length)) {
    if (identifierStartsAt(sf, i)) return i;
  }
  return -1;
}

/** Whether the file has a string literal `value` (an import or require specifier, say). */
export function hasStringLiteral(sf: ts.SourceFile, value: string): boolean {
  const text = sf.text;
  for (let i = text.indexOf(value); i !== -1; i = text.indexOf(value, i + 1)) {
    if (i > 0 && stringLiteralAt(sf, i - 1, value)) return true;
  }
  return false;
}
