/**
 * Factory emitter: renders plans as node updates for a ts-patch `before` transformer. It
 * uses the same templates as the text emitter: each template is parsed once per site into
 * synthesized nodes and the original (already visited) nodes are spliced into its HOLE.
 * Working on the checked tree (not on re-parsed text) keeps import elision, decorator
 * metadata and diagnostics intact; TypeScript then downlevels the inserted code itself.
 */
import ts from 'typescript';
import type { Analysis, FnPlan, LoopPlan, Plan, SuspendPlan } from './plan.js';
import * as T from './templates.js';

type Replacement = ts.Node | readonly ts.Node[];

/** Parses template text (statements) in an async generator, so `await`/`yield` parse. */
function parseTemplateStatements(text: string): ts.Statement[] {
  const sf = ts.createSourceFile('template.ts', `async function* __tw$T() {\n${text}\n}`, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const body = (sf.statements[0] as ts.FunctionDeclaration).body!;
  for (const s of body.statements) synthesize(s);
  return [...body.statements];
}

/**
 * Detaches template nodes from the template text: positions -1 make the printer use node
 * data, and the Synthesized flag keeps the checker from treating them as parse-tree nodes.
 */
function synthesize(node: ts.Node): void {
  ts.setTextRange(node, { pos: -1, end: -1 });
  (node as { flags: ts.NodeFlags }).flags |= ts.NodeFlags.Synthesized;
  if (ts.isBlock(node)) (node as { multiLine?: boolean }).multiLine = true; // readable emit: one statement per line
  ts.forEachChild(node, synthesize);
}

function isHole(node: ts.Node): boolean {
  return ts.isIdentifier(node) && node.text === T.HOLE;
}

/** Replaces HOLE (an identifier, or a `HOLE;` statement) in template nodes. */
function fill<N extends ts.Node>(context: ts.TransformationContext, nodes: readonly N[], replacement: Replacement): N[] {
  const visit = (node: ts.Node): ts.VisitResult<ts.Node> => {
    if (ts.isExpressionStatement(node) && isHole(node.expression)) return replacement as ts.Node[];
    if (isHole(node)) return replacement as ts.Node;
    return ts.visitEachChild(node, visit, context);
  };
  return nodes.flatMap((n) => {
    const r = visit(n);
    return (Array.isArray(r) ? r : [r]) as N[];
  });
}

/**
 * Names bound at module level by imports and exported declarations. TypeScript's CommonJS
 * transform rewrites references to them (`x_1.NAME`, `exports.NAME`) by asking the checker
 * about parse-tree nodes; template identifiers with these names get the declaration as
 * their original node so a directive argument such as `{ name: PREFIX }` is rewritten too.
 */
function moduleBindings(sf: ts.SourceFile): Map<string, ts.Identifier> {
  const names = new Map<string, ts.Identifier>();
  const exported = (s: ts.Statement) => ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s) && s.importClause && !s.importClause.isTypeOnly) {
      const c = s.importClause;
      if (c.name) names.set(c.name.text, c.name);
      if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) names.set(c.namedBindings.name.text, c.namedBindings.name);
      else if (c.namedBindings) for (const e of c.namedBindings.elements) names.set(e.name.text, e.name);
    } else if (ts.isVariableStatement(s) && exported(s)) {
      for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) names.set(d.name.text, d.name);
    } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name && exported(s)) {
      names.set(s.name.text, s.name);
    }
  }
  return names;
}

/** Resolves a name as seen from an original node (the checker's resolveName), for shadowing. */
export type NameResolver = (name: string, location: ts.Node) => ts.Symbol | undefined;

function linkModuleReferences(node: ts.Node, bindings: Map<string, ts.Identifier>, location: ts.Node, resolve: NameResolver, parent?: ts.Node): void {
  if (ts.isIdentifier(node)) {
    const isPropertyName = parent && ((ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node));
    const binding = bindings.get(node.text);
    // Only when the name really means the module binding there (not a shadowing local).
    if (binding && !isPropertyName && resolve(node.text, location)?.declarations?.includes(binding.parent as ts.Declaration)) ts.setOriginalNode(node, binding);
    return;
  }
  ts.forEachChild(node, (c) => linkModuleReferences(c, bindings, location, resolve, node));
}

export function createFactoryTransformer(analysis: Analysis, runtimeModule: string, resolve?: NameResolver) {
  const byNode = new Map<ts.Node, Plan[]>();
  const add = (node: ts.Node, plan: Plan) => byNode.set(node, [...(byNode.get(node) ?? []), plan]);
  for (const plan of analysis.plans) {
    if (plan.kind === 'fn') add(plan.node, plan);
    else if (plan.kind === 'loop') {
      add(plan.node, plan);
      if (plan.outer !== plan.node) add(plan.outer, plan);
    } else if (plan.kind === 'suspend') add(plan.node, plan);
    else if (plan.kind === 'reenter') add(plan.block, plan);
    else add(plan.call, plan);
  }

  return (context: ts.TransformationContext) => (sf: ts.SourceFile): ts.SourceFile => {
    const f = context.factory;
    const bindings = moduleBindings(ts.getOriginalNode(sf, ts.isSourceFile) ?? sf);
    /** `location`: where the template's user expressions (directive arguments, inputs) are evaluated. */
    const parseStatements = (text: string, location?: ts.Node) => {
      const nodes = parseTemplateStatements(text);
      if (location && resolve && bindings.size) for (const n of nodes) linkModuleReferences(n, bindings, location, resolve);
      return nodes;
    };
    const parseExpression = (text: string, location?: ts.Node) => {
      const paren = (parseStatements(`(${text});`, location)[0] as ts.ExpressionStatement).expression as ts.ParenthesizedExpression;
      return paren.expression;
    };
    const visitor = (node: ts.Node): ts.Node | ts.Node[] => {
      const plans = byNode.get(node);
      let result: ts.Node = ts.visitEachChild(node, visitor, context);
      if (!plans) return result;
      for (const plan of plans) {
        switch (plan.kind) {
          case 'fn':
            result = wrapFunction(result as ts.FunctionLikeDeclaration, plan);
            break;
          case 'loop':
            if (node === plan.node) result = wrapLoopBody(result as ts.IterationStatement, plan);
            if (node === plan.outer) result = fill(context, parseStatements(`${T.loopStatement(plan).open}${T.HOLE};${T.loopStatement(plan).close}`), [result])[0]!;
            break;
          case 'suspend':
            result = wrapSuspend(result as ts.AwaitExpression | ts.YieldExpression, plan);
            break;
          case 'reenter': {
            const block = result as ts.Block;
            result = f.updateBlock(block, [...parseStatements(T.reenter(plan.scope)), ...block.statements]);
            break;
          }
          case 'decorator': {
            const call = result as ts.CallExpression;
            const info = parseExpression(T.buildInfo(plan.params));
            const args = call.arguments.length === 0 ? [f.createIdentifier('undefined'), info] : [call.arguments[0]!, info];
            result = f.updateCallExpression(call, call.expression, call.typeArguments, args);
            break;
          }
        }
      }
      return result;
    };

    const wrapFunction = (node: ts.FunctionLikeDeclaration, plan: FnPlan): ts.Node => {
      const body = node.body!;
      let newBody: ts.ConciseBody;
      if (ts.isBlock(body)) {
        const t = T.fnStatements(plan);
        const inner = fill(context, parseStatements(`${t.open} ${T.HOLE}; ${t.close}`, plan.node.body), body.statements.slice(plan.keep));
        newBody = f.updateBlock(body, [...body.statements.slice(0, plan.keep), ...inner]);
      } else {
        const t = T.fnExpression(plan);
        newBody = fill(context, [parseExpression(`${t.open}${T.HOLE}${t.close}`, plan.node.body)], body)[0]!;
      }
      return withBody(f, node, newBody);
    };

    const wrapLoopBody = (node: ts.IterationStatement, plan: LoopPlan): ts.Node => {
      const t = T.loopBody(plan);
      const body = fill(context, parseStatements(`${t.open}${T.HOLE};${t.close}`, plan.node.statement), [node.statement])[0] as ts.Statement;
      return withLoopBody(f, node, body);
    };

    const wrapSuspend = (node: ts.AwaitExpression | ts.YieldExpression, plan: SuspendPlan): ts.Node => {
      const outer = T.suspendOuter(plan.scope);
      const operand = T.suspendOperand(plan.scope);
      const keyword = ts.isAwaitExpression(node) ? 'await' : node.asteriskToken ? 'yield*' : 'yield';
      const inner = node.expression ? T.HOLE : 'undefined';
      const expr = parseExpression(`${outer.open}${keyword} ${operand.open}${inner}${operand.close}${outer.close}`);
      return node.expression ? fill(context, [expr], node.expression)[0]! : expr;
    };

    let out = ts.visitEachChild(sf, visitor, context);
    if (analysis.needsRuntime) {
      const imp = f.createImportDeclaration(undefined, f.createImportClause(false, undefined, f.createNamespaceImport(f.createIdentifier(T.RUNTIME))), f.createStringLiteral(runtimeModule));
      const stmts = out.statements;
      out = f.updateSourceFile(out, [...stmts.slice(0, analysis.prologue), imp, ...stmts.slice(analysis.prologue)]);
    }
    return out;
  };
}

function withBody(f: ts.NodeFactory, n: ts.FunctionLikeDeclaration, body: ts.ConciseBody): ts.Node {
  if (ts.isFunctionDeclaration(n)) return f.updateFunctionDeclaration(n, n.modifiers, n.asteriskToken, n.name, n.typeParameters, n.parameters, n.type, body as ts.Block);
  if (ts.isFunctionExpression(n)) return f.updateFunctionExpression(n, n.modifiers, n.asteriskToken, n.name, n.typeParameters, n.parameters, n.type, body as ts.Block);
  if (ts.isArrowFunction(n)) return f.updateArrowFunction(n, n.modifiers, n.typeParameters, n.parameters, n.type, n.equalsGreaterThanToken, body);
  if (ts.isMethodDeclaration(n)) return f.updateMethodDeclaration(n, n.modifiers, n.asteriskToken, n.name, n.questionToken, n.typeParameters, n.parameters, n.type, body as ts.Block);
  if (ts.isConstructorDeclaration(n)) return f.updateConstructorDeclaration(n, n.modifiers, n.parameters, body as ts.Block);
  throw new Error(`tracewright: unexpected function kind ${ts.SyntaxKind[n.kind]}`);
}

function withLoopBody(f: ts.NodeFactory, n: ts.IterationStatement, body: ts.Statement): ts.Node {
  if (ts.isForOfStatement(n)) return f.updateForOfStatement(n, n.awaitModifier, n.initializer, n.expression, body);
  if (ts.isForInStatement(n)) return f.updateForInStatement(n, n.initializer, n.expression, body);
  if (ts.isForStatement(n)) return f.updateForStatement(n, n.initializer, n.condition, n.incrementor, body);
  if (ts.isWhileStatement(n)) return f.updateWhileStatement(n, n.expression, body);
  if (ts.isDoStatement(n)) return f.updateDoStatement(n, body, n.expression);
  throw new Error(`tracewright: unexpected loop kind ${ts.SyntaxKind[n.kind]}`);
}
