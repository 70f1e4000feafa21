/**
 * Parameter and loop-head bindings: the names a span's inputs are keyed by (§7 of the
 * design notes). Values are read from the bindings at body entry, so defaults are applied.
 */
import ts from 'typescript';

/** Every identifier a binding name binds, in source order (`{ a, b: { c }, ...r }` → a, c, r). */
export function boundNames(name: ts.BindingName | ts.Expression, out: string[] = []): string[] {
  if (ts.isIdentifier(name)) out.push(name.text);
  else if (ts.isObjectBindingPattern(name) || ts.isArrayBindingPattern(name)) {
    for (const element of name.elements) if (!ts.isOmittedExpression(element)) boundNames(element.name, out);
  } else if (ts.isObjectLiteralExpression(name)) {
    // assignment pattern in a loop head: `for ({ a, b: c } of xs)`
    for (const p of name.properties) {
      if (ts.isShorthandPropertyAssignment(p)) out.push(p.name.text);
      else if (ts.isPropertyAssignment(p)) boundNames(stripDefault(p.initializer), out);
      else if (ts.isSpreadAssignment(p)) boundNames(p.expression, out);
    }
  } else if (ts.isArrayLiteralExpression(name)) {
    for (const e of name.elements) boundNames(ts.isSpreadElement(e) ? e.expression : stripDefault(e), out);
  } else if (ts.isParenthesizedExpression(name)) boundNames(name.expression, out);
  return out;
}

function stripDefault(e: ts.Expression): ts.Expression {
  return ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken ? e.left : e;
}

/** The function's own parameters, without the TypeScript `this` parameter. */
export function realParameters(params: readonly ts.ParameterDeclaration[]): ts.ParameterDeclaration[] {
  return params.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === 'this'));
}

export function parameterNames(params: readonly ts.ParameterDeclaration[]): string[] {
  const out: string[] = [];
  for (const p of realParameters(params)) boundNames(p.name, out);
  return out;
}

/**
 * One binding-pattern string per parameter, for `@Trace(opts, { params })`: defaults and
 * type annotations removed (`{ k = 3 }: Opts` → `{ k }`), rest marked (`...rest`). The
 * runtime parses these with parseParamStrings.
 */
export function parameterPatterns(params: readonly ts.ParameterDeclaration[]): string[] {
  return realParameters(params).map((p) => (p.dotDotDotToken ? '...' : '') + patternText(p.name));
}

function patternText(name: ts.BindingName): string {
  if (ts.isIdentifier(name)) return name.text;
  if (ts.isObjectBindingPattern(name)) {
    const parts = name.elements.map((e) => {
      if (e.dotDotDotToken) return '...' + patternText(e.name);
      const value = patternText(e.name);
      if (!e.propertyName) return value;
      const key = ts.isIdentifier(e.propertyName) || ts.isPrivateIdentifier(e.propertyName) ? e.propertyName.text
        : ts.isStringLiteral(e.propertyName) || ts.isNumericLiteral(e.propertyName) ? JSON.stringify(e.propertyName.text)
        : '[computed]';
      return `${key}: ${value}`;
    });
    return parts.length ? `{ ${parts.join(', ')} }` : '{}';
  }
  const items = name.elements.map((e) => (ts.isOmittedExpression(e) ? '' : (e.dotDotDotToken ? '...' : '') + patternText(e.name)));
  return `[${items.join(', ')}]`;
}
