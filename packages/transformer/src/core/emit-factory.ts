/**
 * Factory emitter: renders plans as node updates for a ts-patch `before` transformer. It
 * uses the same templates as the text emitter: each template is parsed once per site into
 * synthesized nodes and the original (already visited) nodes are spliced into its HOLE.
 * Working on the checked tree (not on re-parsed text) keeps import elision, decorator
 * metadata and diagnostics intact; TypeScript then downlevels the inserted code itself.
 */
import ts from 'typescript';
import type { Analysis, Plan } from './plan.js';
import * as T from './templates.js';

type Replacement = ts.Node | readonly ts.Node[];

/**
 * The template texts a plan needs, in a fixed order (statements; expressions are written as
 * `(expr);`). Rendered from templates.ts, exactly what the text emitter inserts.
 */
function templateTexts(plan: Plan): string[] {
  const H = T.HOLE;
  switch (plan.kind) {
    case 'fn': {
      if (ts.isBlock(plan.node.body)) {
        const t = T.fnStatements(plan);
        return [`${t.open} ${H}; ${t.close}`];
      }
      const t = T.fnExpression(plan);
      return [plan.inline === undefined ? `(${t.open}${H}${t.close});` : `${t.open}${H}${t.close}`]; // inline: a block body
    }
    case 'return': {
      const t = T.returnValue(plan);
      return [`(${t.open}${H}${t.close});`];
    }
    case 'loop': {
      const body = T.loopBody(plan);
      const stmt = T.loopStatement(plan);
      return [`${body.open}${H};${body.close}`, `${stmt.open}${H};${stmt.close}`];
    }
    case 'suspend': {
      const node = plan.node;
      const outer = T.suspendOuter(plan.scope);
      const operand = T.suspendOperand(plan.scope, plan.item, plan.awaited);
      const keyword = ts.isAwaitExpression(node) ? 'await' : node.asteriskToken ? 'yield*' : 'yield';
      return [`(${outer.open}${keyword} ${operand.open}${node.expression ? H : 'undefined'}${operand.close}${outer.close});`];
    }
    case 'reenter':
      return [T.reenter(plan.scope)];
    case 'for-await': {
      const body = T.forAwaitBody(plan.scope);
      const stmt = T.forAwaitStatement(plan.scope);
      const head = T.suspendOperand(plan.scope);
      return [`${body.open}${H};${body.close}`, `${stmt.open}${H};${stmt.close}`, `(${head.open}${H}${head.close});`];
    }
    case 'disposal': {
      const stmt = T.disposalStatement(plan);
      return [T.disposalGuard(plan), `${stmt.open}${H};${stmt.close}`];
    }
    case 'decorator':
      return [`(${T.buildInfo(plan.params)});`];
  }
}

/**
 * A plan's variable parts (span name, options, inputs, index key) become placeholders, so one
 * parsed template serves every plan of the same shape: parsing is most of the factory
 * emitter's cost, and a process parses each distinct shape once. A placeholder cannot clash
 * with user code: files that use the `__tw$` prefix are not rewritten (see analyzeFile).
 */
const P_NAME = `${T.RUNTIME}P_name`;
const P_OPTIONS = `${T.RUNTIME}P_options`;
const P_INPUT = `${T.RUNTIME}P_input`;
const P_KEY = `${T.RUNTIME}P_key`;

function shapeOf(plan: Plan): Plan {
  if (plan.kind === 'fn') return { ...plan, name: P_NAME, options: P_OPTIONS, inputs: [P_INPUT] };
  if (plan.kind === 'loop') return { ...plan, name: P_NAME, options: P_OPTIONS, inputs: [P_INPUT], indexKey: P_KEY };
  return plan;
}

/** Parsed templates by text, synthesized, never handed to TypeScript (only their clones are). */
const parsed = new Map<string, ts.Statement[]>();
/** Parsed directive arguments by text (the `options` expression). */
const parsedOptions = new Map<string, ts.Expression>();
/** Decorator build info embeds parameter names: bound the caches for long-lived watch processes. */
const CACHE_LIMIT = 2_000;

/** Parses the texts not seen before, all in one SourceFile (see parseOnce). */
function parseAll(texts: readonly string[]): void {
  const fresh = [...new Set(texts.filter((t) => !parsed.has(t)))];
  if (fresh.length === 0) return;
  if (parsed.size + fresh.length > CACHE_LIMIT) parsed.clear();
  parseOnce(fresh).forEach((statements, i) => parsed.set(fresh[i]!, statements));
}

function optionsExpression(text: string): ts.Expression {
  let expr = parsedOptions.get(text);
  if (!expr) {
    if (parsedOptions.size >= CACHE_LIMIT) parsedOptions.clear();
    const sf = ts.createSourceFile('options.ts', `(${text}\n);`, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    expr = ((sf.statements[0] as ts.ExpressionStatement).expression as ts.ParenthesizedExpression).expression;
    synthesize(expr);
    parsedOptions.set(text, expr);
  }
  return expr;
}

/**
 * Per plan, the statements of each of its templates: fresh nodes (TypeScript's transforms
 * annotate the nodes they are given, so parsed templates are cloned, never shared), with the
 * plan's own name, options, inputs and index key in place of the placeholders.
 */
function instantiateTemplates(context: ts.TransformationContext, plans: readonly Plan[]): Map<Plan, ts.Statement[][]> {
  const texts = plans.map((plan) => templateTexts(shapeOf(plan)));
  parseAll(texts.flat());
  const out = new Map<Plan, ts.Statement[][]>();
  plans.forEach((plan, p) => {
    const { clone, complete } = cloner(context, plan);
    const statements = texts[p]!.map((text) => parsed.get(text)!.map((s) => clone(s) as ts.Statement));
    out.set(plan, complete() ? statements : parseOnce(templateTexts(plan))); // else: a directive argument with a node we cannot copy
  });
  return out;
}

/** Parses template texts in one SourceFile, each in an async generator so `await`/`yield` parse. */
function parseOnce(texts: readonly string[]): ts.Statement[][] {
  const source = texts.map((t) => `async function* __tw$T() {\n${t}\n}\n`).join('');
  const sf = ts.createSourceFile('templates.ts', source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return texts.map((_, i) => {
    const statements = [...(sf.statements[i] as ts.FunctionDeclaration).body!.statements];
    for (const s of statements) synthesize(s);
    return statements;
  });
}

/** Read once: every `ts.X` is a getter call on TypeScript's exports object, and cloning is a hot loop. */
const SK = ts.SyntaxKind;
const { setOriginalNode, visitEachChild, visitNodes, isToken } = ts;

/** Deep copy of synthesized template nodes, substituting the placeholders with `plan`'s values. */
function cloner(context: ts.TransformationContext, plan: Plan): { clone: (node: ts.Node) => ts.Node; complete: () => boolean } {
  const f = context.factory;
  let copied = true;
  const substitutes = plan.kind === 'fn' || plan.kind === 'loop' ? plan : undefined;
  const visit = (node: ts.Node): ts.VisitResult<ts.Node> => {
    const kind = node.kind;
    if (substitutes) {
      if (kind === SK.Identifier) {
        const text = (node as ts.Identifier).text;
        if (text === P_OPTIONS) return visit(optionsExpression(substitutes.options));
        if (text === P_KEY && substitutes.kind === 'loop') return f.createIdentifier(substitutes.indexKey);
      } else if (kind === SK.StringLiteral && (node as ts.StringLiteral).text === P_NAME) {
        return f.createStringLiteral(substitutes.name);
      } else if (kind === SK.ShorthandPropertyAssignment && (node as ts.ShorthandPropertyAssignment).name.text === P_INPUT) {
        return substitutes.inputs.map((name) => f.createShorthandPropertyAssignment(name));
      }
    }
    const leaf = cloneLeaf(f, node);
    if (leaf) return leaf;
    const copy = visitEachChild(node, visit, context, visitList, visit) as ts.Node;
    if (copy === node) {
      copied = false; // a childless node cloneLeaf does not know: the caller parses instead
      return node;
    }
    return setOriginalNode(copy, undefined); // the template is no origin: nothing may be read from or written to it
  };
  // Always a new array, so nodes whose only child list is empty (`{}`) are copied too.
  const visitList = ((nodes: ts.NodeArray<ts.Node> | undefined, visitor: ts.Visitor, test?: (node: ts.Node) => boolean, start?: number, count?: number) => {
    if (!nodes) return nodes;
    const r = visitNodes(nodes, visitor, test, start, count);
    return r === nodes ? f.createNodeArray([...nodes], nodes.hasTrailingComma) : r;
  }) as typeof ts.visitNodes;
  return { clone: (node) => visit(node) as ts.Node, complete: () => copied };
}

/** Nodes without children: rebuilt from their data. */
function cloneLeaf(f: ts.NodeFactory, node: ts.Node): ts.Node | undefined {
  switch (node.kind) {
    case SK.Identifier:
      return f.createIdentifier((node as ts.Identifier).text);
    case SK.PrivateIdentifier:
      return f.createPrivateIdentifier((node as ts.PrivateIdentifier).text);
    case SK.StringLiteral: {
      const s = node as ts.StringLiteral & { singleQuote?: boolean };
      return f.createStringLiteral(s.text, s.singleQuote);
    }
    case SK.NumericLiteral:
      return f.createNumericLiteral((node as ts.NumericLiteral).text);
    case SK.BigIntLiteral:
      return f.createBigIntLiteral((node as ts.BigIntLiteral).text);
    case SK.RegularExpressionLiteral:
      return f.createRegularExpressionLiteral((node as ts.RegularExpressionLiteral).text);
    case SK.NoSubstitutionTemplateLiteral:
      return f.createNoSubstitutionTemplateLiteral((node as ts.NoSubstitutionTemplateLiteral).text, (node as ts.NoSubstitutionTemplateLiteral).rawText);
    case SK.TemplateHead:
      return f.createTemplateHead((node as ts.TemplateHead).text, (node as ts.TemplateHead).rawText);
    case SK.TemplateMiddle:
      return f.createTemplateMiddle((node as ts.TemplateMiddle).text, (node as ts.TemplateMiddle).rawText);
    case SK.TemplateTail:
      return f.createTemplateTail((node as ts.TemplateTail).text, (node as ts.TemplateTail).rawText);
    case SK.OmittedExpression:
      return f.createOmittedExpression();
    case SK.EmptyStatement:
      return f.createEmptyStatement();
  }
  if (isToken(node)) return f.createToken(node.kind as ts.KeywordSyntaxKind);
  return undefined;
}

/**
 * Detaches template nodes from the template text: positions -1 make the printer use node
 * data, and the Synthesized flag keeps the checker from treating them as parse-tree nodes.
 */
function synthesize(node: ts.Node): void {
  ts.setTextRange(node, { pos: -1, end: -1 });
  (node as { flags: ts.NodeFlags }).flags |= ts.NodeFlags.Synthesized;
  if (ts.isBlock(node)) (node as { multiLine?: boolean }).multiLine = true; // readable emit: one statement per line
  // Node lists too: the printer looks up comments at a list's position in the *output* file.
  ts.forEachChild(node, synthesize, (list) => {
    ts.setTextRange(list, { pos: -1, end: -1 });
    list.forEach(synthesize);
  });
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

/** The block or case clause with `statements` in place of its own. */
function withStatements(f: ts.NodeFactory, node: ts.Block | ts.CaseOrDefaultClause, statements: readonly ts.Statement[]): ts.Node {
  if (ts.isBlock(node)) return f.updateBlock(node, statements);
  if (ts.isCaseClause(node)) return f.updateCaseClause(node, node.expression, statements);
  return f.updateDefaultClause(node, statements);
}

export function createFactoryTransformer(analysis: Analysis, runtimeModule: string, resolve?: NameResolver) {
  const byNode = new Map<ts.Node, Plan[]>();
  const add = (node: ts.Node, plan: Plan) => byNode.set(node, [...(byNode.get(node) ?? []), plan]);
  for (const plan of analysis.plans) {
    if (plan.kind === 'fn') add(plan.node, plan);
    else if (plan.kind === 'loop' || plan.kind === 'for-await') {
      add(plan.node, plan);
      if (plan.outer !== plan.node) add(plan.outer, plan);
    } else if (plan.kind === 'suspend' || plan.kind === 'return') add(plan.node, plan);
    else if (plan.kind === 'reenter') add(plan.block, plan);
    else if (plan.kind === 'disposal') {
      add(plan.container, plan);
      if (plan.outer && plan.outer !== plan.container) add(plan.outer, plan);
    }
    else add(plan.call, plan);
  }

  // Only the ancestors of planned nodes need visiting; everything else is returned as is.
  const onPath = new Set<ts.Node>();
  for (const node of byNode.keys()) for (let n: ts.Node | undefined = node.parent; n && !onPath.has(n); n = n.parent) onPath.add(n);

  return (context: ts.TransformationContext) => (sf: ts.SourceFile): ts.SourceFile => {
    const f = context.factory;
    const bindings = resolve ? moduleBindings(ts.getOriginalNode(sf, ts.isSourceFile) ?? sf) : new Map<string, ts.Identifier>();
    const templates = instantiateTemplates(context, analysis.plans);
    /** Template `part` of `plan`; `location`: where its user expressions (directive argument, inputs) are evaluated. */
    const statements = (plan: Plan, part: number, location?: ts.Node): ts.Statement[] => {
      const nodes = templates.get(plan)![part]!;
      if (location && resolve && bindings.size) for (const n of nodes) linkModuleReferences(n, bindings, location, resolve);
      return nodes;
    };
    const expression = (plan: Plan, part: number, location?: ts.Node): ts.Expression =>
      ((statements(plan, part, location)[0] as ts.ExpressionStatement).expression as ts.ParenthesizedExpression).expression;

    const visitor = (node: ts.Node): ts.Node | ts.Node[] => {
      const plans = byNode.get(node);
      if (!plans && !onPath.has(node)) return node;
      let result: ts.Node = ts.visitEachChild(node, visitor, context);
      if (!plans) return result;
      for (const plan of plans) {
        switch (plan.kind) {
          case 'fn': {
            const fnNode = result as ts.FunctionLikeDeclaration;
            const body = fnNode.body!;
            const newBody = ts.isBlock(body)
              ? f.updateBlock(body, [...body.statements.slice(0, plan.keep), ...fill(context, statements(plan, 0, plan.node.body), body.statements.slice(plan.keep))])
              : plan.inline === undefined
                ? fill(context, [expression(plan, 0, plan.node.body)], body)[0]!
                : (fill(context, statements(plan, 0, plan.node.body), body)[0] as ts.Block);
            result = withBody(f, fnNode, newBody);
            break;
          }
          case 'loop':
            if (node === plan.node) {
              const loop = result as ts.IterationStatement;
              result = withLoopBody(f, loop, fill(context, statements(plan, 0, plan.node.statement), [loop.statement])[0] as ts.Statement);
            }
            if (node === plan.outer) result = fill(context, statements(plan, 1), [result])[0]!;
            break;
          case 'for-await':
            if (node === plan.node) {
              const loop = result as ts.ForOfStatement;
              const body = fill(context, statements(plan, 0), [loop.statement])[0] as ts.Statement;
              result = f.updateForOfStatement(loop, loop.awaitModifier, loop.initializer, fill(context, [expression(plan, 2)], loop.expression)[0]!, body);
            }
            if (node === plan.outer) result = fill(context, statements(plan, 1), [result])[0]!;
            break;
          case 'return': {
            const ret = result as ts.ReturnStatement;
            result = f.updateReturnStatement(ret, fill(context, [expression(plan, 0)], ret.expression ?? f.createIdentifier('undefined'))[0]!);
            break;
          }
          case 'suspend': {
            const operand = (result as ts.AwaitExpression | ts.YieldExpression).expression;
            const expr = expression(plan, 0);
            result = operand ? fill(context, [expr], operand)[0]! : expr;
            break;
          }
          case 'reenter': {
            const block = result as ts.Block;
            result = f.updateBlock(block, [...statements(plan, 0), ...block.statements]);
            break;
          }
          case 'disposal': {
            if (node === plan.container) {
              const guard = statements(plan, 0);
              const list = (result as ts.Block | ts.CaseOrDefaultClause).statements;
              result = withStatements(f, result as ts.Block | ts.CaseOrDefaultClause, [...list.slice(0, plan.after + 1), ...guard, ...list.slice(plan.after + 1)]);
            }
            if (node === plan.outer) result = fill(context, statements(plan, 1), [result])[0]!;
            break;
          }
          case 'decorator': {
            const call = result as ts.CallExpression;
            const info = expression(plan, 0);
            const args = call.arguments.length === 0 ? [f.createIdentifier('undefined'), info] : [call.arguments[0]!, info];
            result = f.updateCallExpression(call, call.expression, call.typeArguments, args);
            break;
          }
        }
      }
      return result;
    };

    let out = ts.visitEachChild(sf, visitor, context);
    if (analysis.needsRuntime) {
      const original = ts.getOriginalNode(sf, ts.isSourceFile) ?? sf;
      // TypeScript lowers an added `import` only in files it parsed as modules: a script (no
      // import/export) emitted as CommonJS gets the `require` form the text path uses.
      const binding = !ts.isExternalModule(original) && emitsCommonJs(context.getCompilerOptions(), original)
        ? parseOnce([T.runtimeImport('cjs', runtimeModule)])[0]!
        : [f.createImportDeclaration(undefined, f.createImportClause(false, undefined, f.createNamespaceImport(f.createIdentifier(T.RUNTIME))), f.createStringLiteral(runtimeModule))];
      const stmts = out.statements;
      out = f.updateSourceFile(out, [...stmts.slice(0, analysis.prologue), ...binding, ...stmts.slice(analysis.prologue)]);
    }
    return out;
  };
}

/** Whether TypeScript emits `sf` as CommonJS (its `module` setting, per file under node16/nodenext). */
function emitsCommonJs(options: ts.CompilerOptions, sf: ts.SourceFile): boolean {
  const module = options.module ?? ((options.target ?? ts.ScriptTarget.ES5) >= ts.ScriptTarget.ES2015 ? ts.ModuleKind.ES2015 : ts.ModuleKind.CommonJS);
  if (module === ts.ModuleKind.CommonJS) return true;
  if (module >= ts.ModuleKind.Node16 && module <= ts.ModuleKind.NodeNext) return sf.impliedNodeFormat !== ts.ModuleKind.ESNext;
  return false;
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
