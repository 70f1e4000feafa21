/**
 * The only AST walk: finds directives and `@Trace` decorators, decides what each becomes
 * (a {@link Plan}) and what cannot be honoured (a located diagnostic). Parse-only: no
 * checker, no program, so the text path and the ts-patch path share it unchanged.
 */
import ts from 'typescript';
import { parseDirective, type Directive } from './directive.js';
import { resolveOptions } from './options.js';
import { boundNames, parameterNames, parameterPatterns } from './params.js';
import type { Analysis, ContextScope, DisposalPlan, FnPlan, Flavor, Located, LoopPlan, Plan } from './plan.js';
import { RUNTIME } from './templates.js';
import { commentStartsAt } from './tokens.js';

const RUNTIME_MODULE = '@tracewright/runtime';
const BLANK_LINE = /\n[ \t]*\r?\n/;

type FunctionWithBody = FnPlan['node'];

interface Walk {
  sf: ts.SourceFile;
  text: string;
  plans: Plan[];
  diagnostics: Located[];
  /** Directive comments already attached (by comment position). */
  used: Set<number>;
  nextLoop: number;
  /** Local names / namespaces that denote the runtime's `Trace`. */
  traceNames: Set<string>;
  traceNamespaces: Set<string>;
  loops: Map<ts.Node, LoopPlan>;
  /** Traced functions rendered inline, by node: their bodies are walked for returns. */
  inline: Map<ts.Node, FnPlan>;
  nextCall: number;
  /** `await using` of inline-traced async functions, by the block or case clause holding them. */
  disposals: Map<ts.Node, DisposalPlan>;
  /**
   * Sorted offsets of "@trace" in the text, and the last offset of each inline-traced function
   * (whose body must be walked for returns): subtrees without one (and nothing else to do) are skipped.
   */
  candidates: number[];
  /**
   * Sorted offsets of the words an inline-traced function or traced loop body is walked for
   * (`return`, `await`, `yield`, `using`): inside one, a subtree without any (and without a
   * candidate) holds nothing to plan, so the walk skips it.
   */
  keywords: number[];
  /** Parsed without parent pointers: the walk sets them where it goes (see adopt). */
  orphan: boolean;
}

/** Per-function walk state. */
interface Scope {
  /** The innermost traced loop whose body we are in. */
  loop: number | undefined;
  /** The function we are in, when it is traced inline (its returns become plans). */
  fn: FnPlan | undefined;
  /**
   * Whether a `return` here cannot end the call where it stands: `'defer'` when code of the
   * function still runs after it (a `finally`, the iterator's `return()` when leaving a
   * `for…of`: the call ends after the body instead, see FnPlan.deferred); `'with'` inside the
   * body of a `with` statement, where any name in generated code would be looked up on the
   * object (a Proxy's `has` trap would see it, and could claim it).
   */
  blocked: Blocked;
}

type Blocked = false | 'defer' | 'with';

export function analyze(sf: ts.SourceFile): Analysis {
  const w: Walk = { sf, text: sf.text, plans: [], diagnostics: [], used: new Set(), nextLoop: 0, traceNames: new Set(), traceNamespaces: new Set(), loops: new Map(), inline: new Map(), nextCall: 0, disposals: new Map(), candidates: candidatesOf(sf.text), keywords: keywordsOf(sf.text), orphan: sf.statements.length > 0 && sf.statements[0]!.parent === undefined };
  collectTraceImports(w);
  const top: Scope = { loop: undefined, fn: undefined, blocked: false };
  if (w.orphan) adopt(sf);
  ts.forEachChild(sf, (n) => visit(w, n, top));
  reportOrphans(w);
  for (const p of w.plans) {
    // A generator in the closure form (a yield inside `with`) runs its body in an inner generator, which has no `super`.
    if (p.kind === 'fn' && p.inline === undefined && p.superUse) report(w, p.superUse.getStart(sf), `cannot trace ${JSON.stringify(p.name)}: a generator method that uses \`super\` and suspends inside \`with\` (the traced body would run in an inner generator)`);
  }
  // Functions that fell back to the closure form (an await inside `with`, `for (await using …)`) keep their returns and awaits.
  w.plans = w.plans.filter((p) => {
    const fn = inlineCallOf(p);
    return fn === undefined || fn.inline !== undefined;
  });
  let prologue = 0;
  while (prologue < sf.statements.length && isPrologueDirective(sf.statements[prologue]!)) prologue++;
  return { plans: w.plans, diagnostics: w.diagnostics, needsRuntime: w.plans.some((p) => p.kind !== 'decorator'), prologue };
}

/** The inline-traced function a return / suspension plan belongs to (undefined: not such a plan). */
function inlineCallOf(p: Plan): FnPlan | undefined {
  if (p.kind === 'return') return p.fn;
  if (p.kind === 'disposal') return p.scope;
  // A suspension in a traced loop of the function (LoopInCall) leaves the iteration in any case.
  if (p.kind === 'suspend' || p.kind === 'reenter' || p.kind === 'for-await') return typeof p.scope === 'number' || 'loop' in p.scope ? undefined : p.scope;
  return undefined;
}

function report(w: Walk, start: number, message: string, severity: Located['severity'] = 'error', length = 1): void {
  w.diagnostics.push({ start, length, message, severity });
}

// ---------------------------------------------------------------- walk

function candidatesOf(text: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf('@trace'); i !== -1; i = text.indexOf('@trace', i + 6)) out.push(i);
  return out;
}

const KEYWORDS = /return|await|yield|using/g;

function keywordsOf(text: string): number[] {
  const out: number[] = [];
  KEYWORDS.lastIndex = 0;
  for (let m = KEYWORDS.exec(text); m; m = KEYWORDS.exec(text)) out.push(m.index);
  return out;
}

/** Index of the first offset at or after `pos` in a sorted list (binary search). */
function firstAt(c: readonly number[], pos: number): number {
  let lo = 0;
  let hi = c.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c[mid]! < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function firstCandidate(w: Walk, pos: number): number {
  return firstAt(w.candidates, pos);
}

/** Whether an offset of the sorted list lies in [pos, end). */
function hasOffset(list: readonly number[], pos: number, end: number): boolean {
  const i = firstAt(list, pos);
  return i < list.length && list[i]! < end;
}

function visit(w: Walk, node: ts.Node, scope: Scope): void {
  // Fast path: nothing to find in this subtree (keeps tsc + transformer close to plain tsc).
  // In a traced body only returns, suspensions and `using` matter besides directives.
  if (w.traceNames.size === 0 && w.traceNamespaces.size === 0 && !hasOffset(w.candidates, node.pos, node.end) && ((scope.loop === undefined && scope.fn === undefined) || !hasOffset(w.keywords, node.pos, node.end))) return;
  if (ts.isStatement(node) || ts.isClassElement(node) || ts.isObjectLiteralElementLike(node)) {
    const directive = directiveOf(w, node);
    if (directive) attach(w, node, directive, scope);
  }
  if (ts.isDecorator(node)) decorator(w, node);

  // Traced loop bodies, inline-traced async functions and generators, and both (a traced loop in such a function).
  const call = scope.fn !== undefined && scope.fn.flavor !== 'sync' ? scope.fn : undefined;
  const context: ContextScope | undefined = scope.loop === undefined ? call : call ? { loop: scope.loop, call } : scope.loop;
  if (context !== undefined) {
    // Inside `with`, leave/back could not be named: the function keeps the closure form.
    if (scope.blocked === 'with' && call && (ts.isAwaitExpression(node) || ts.isYieldExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier))) call.inline = undefined;
    else suspensions(w, node, context);
  }

  if (scope.fn) inlineReturns(w, node, scope.fn, scope.blocked);

  if (w.orphan) adopt(node);
  const inner: Scope = isFunctionBoundary(node) ? { loop: undefined, fn: w.inline.get(node), blocked: false } : scope;
  const loop = w.loops.get(node);
  if (loop) {
    // The head belongs to the enclosing context; only the body runs inside the iteration.
    ts.forEachChild(node, (child) => visit(w, child, child === loop.node.statement ? { ...inner, loop: loop.id } : inner));
    return;
  }
  const blocked = inner.fn && inner.blocked !== 'with' ? blockedChild(node) : undefined;
  if (blocked) {
    ts.forEachChild(node, (child) => {
      const why = blocked(child);
      visit(w, child, why && why !== inner.blocked ? { ...inner, blocked: why } : inner);
    });
    return;
  }
  ts.forEachChild(node, (child) => visit(w, child, inner));
}

/** In the body of an inline-traced function: its returns, and what makes it fall back. */
function inlineReturns(w: Walk, node: ts.Node, fn: FnPlan, blocked: Blocked): void {
  if (ts.isReturnStatement(node) && (fn.flavor === 'generator' || fn.flavor === 'async-generator')) {
    // A generator's span records its items, not its return value: only an async generator's
    // `return x`, which awaits x, leaves the context first (not inside `with`: closure form).
    if (fn.flavor === 'async-generator' && node.expression) {
      if (blocked === 'with') fn.inline = undefined;
      else w.plans.push({ kind: 'return', node, fn, comma: ts.isBinaryExpression(node.expression) && node.expression.operatorToken.kind === ts.SyntaxKind.CommaToken });
    }
  } else if (ts.isReturnStatement(node)) {
    // A return inside `with` is left as it is: its value cannot be taken without a name the
    // object would see. The call ends after the body (deferred), with no output recorded.
    if (blocked === 'with' || blocked === 'defer') fn.deferred = true;
    if (blocked !== 'with') w.plans.push({ kind: 'return', node, fn, comma: !!node.expression && ts.isBinaryExpression(node.expression) && node.expression.operatorToken.kind === ts.SyntaxKind.CommaToken });
  } else if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.Using) !== 0) {
    // Disposal runs after the return value is taken: the call ends after it.
    fn.deferred = true;
    if ((node.flags & ts.NodeFlags.AwaitUsing) === ts.NodeFlags.AwaitUsing) disposal(w, node, fn, blocked);
  }
}

/**
 * An `await using` of an inline-traced async function: one DisposalPlan per block (or case
 * clause), its guard after the last such declaration. In a `for (await using …)` head (disposed
 * at the end of every iteration, no statement can follow the declaration) or inside `with`
 * (names), the function keeps the closure form.
 */
function disposal(w: Walk, list: ts.VariableDeclarationList, fn: FnPlan, blocked: Blocked): void {
  const statement = list.parent;
  const container = statement.parent;
  if (blocked === 'with' || !ts.isVariableStatement(statement) || !(ts.isBlock(container) || ts.isCaseOrDefaultClause(container))) {
    fn.inline = undefined;
    return;
  }
  const after = container.statements.indexOf(statement);
  const known = w.disposals.get(container);
  if (known) {
    known.after = after;
    return;
  }
  let outer: ts.Statement | undefined;
  if (ts.isCaseOrDefaultClause(container)) outer = container.parent.parent;
  else if (container !== fn.node.body) outer = ts.isTryStatement(container.parent) ? container.parent : ts.isCatchClause(container.parent) ? container.parent.parent : container;
  const plan: DisposalPlan = { kind: 'disposal', container, after, outer, scope: fn };
  w.disposals.set(container, plan);
  w.plans.push(plan);
}

/** Where the function suspends in `scope`, the context is left before and re-entered after. */
function suspensions(w: Walk, node: ts.Node, scope: ContextScope): void {
  const inLoop = typeof scope === 'number' || 'loop' in scope;
  if (ts.isAwaitExpression(node) || ts.isYieldExpression(node)) w.plans.push({ kind: 'suspend', node, scope, item: ts.isYieldExpression(node) && !node.asteriskToken, awaited: ts.isAwaitExpression(node) });
  else if (ts.isTryStatement(node) && suspends(node.tryBlock)) {
    for (const block of [node.catchClause?.block, node.finallyBlock]) if (block) w.plans.push({ kind: 'reenter', block, scope });
  } else if (ts.isForOfStatement(node) && node.awaitModifier) {
    if (inLoop) return report(w, node.getStart(w.sf), 'a `for await` loop inside a traced loop body is not supported: its implicit awaits would leak the iteration context; trace the inner loop on its own or move it into a function');
    let outer: ts.Statement = node;
    while (ts.isLabeledStatement(outer.parent)) outer = outer.parent;
    w.plans.push({ kind: 'for-await', node, outer, scope });
  } else if (inLoop && ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.AwaitUsing) === ts.NodeFlags.AwaitUsing) {
    report(w, node.getStart(w.sf), '`await using` inside a traced loop body is not supported (its implicit await would leak the iteration context)');
  }
}

/** For a statement whose parts run code after a `return` inside them: which parts. */
function blockedChild(node: ts.Node): ((child: ts.Node) => Blocked) | undefined {
  if (ts.isTryStatement(node) && node.finallyBlock) return (child) => child !== node.finallyBlock && 'defer';
  if (ts.isForOfStatement(node)) return (child) => child === node.statement && 'defer';
  if (ts.isWithStatement(node)) return (child) => child === node.statement && 'with';
  return undefined;
}

/**
 * Sets the parent pointers of `node`'s children when the file was parsed without them (the
 * text path: see parse()). All children before any is visited: an overload looks ahead to its
 * implementation, and `ts.isStatement` tells a function body from a block by its parent.
 */
function adopt(node: ts.Node): void {
  ts.forEachChild(node, (child) => {
    if (child.parent !== node) (child as { parent: ts.Node }).parent = node;
  });
}

/** Whether `node` contains an await/yield of its own function (not of nested functions), implicit ones included. */
function suspends(node: ts.Node): boolean {
  if (ts.isAwaitExpression(node) || ts.isYieldExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) return true;
  if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.AwaitUsing) === ts.NodeFlags.AwaitUsing) return true;
  if (isFunctionBoundary(node)) return false;
  return ts.forEachChild(node, suspends) ?? false;
}

function isFunctionBoundary(node: ts.Node): boolean {
  return ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node) || ts.isPropertyDeclaration(node);
}

// ---------------------------------------------------------------- directives

function directiveOf(w: Walk, node: ts.Node): Directive | undefined {
  let found = directiveIn(w, ts.getLeadingCommentRanges(w.text, node.pos), undefined);
  // Comments between a decorator (or modifier) and the rest of the member are common
  // (`@logged` / `// @trace` / `greet()`): they name the same member.
  const modifiers = ts.canHaveModifiers(node) || ts.canHaveDecorators(node) ? (node as ts.HasModifiers).modifiers : undefined;
  if (modifiers) for (const m of modifiers) found = directiveIn(w, ts.getLeadingCommentRanges(w.text, m.end), found);
  return found;
}

/** The directive among one run of comments (the last one wins; earlier ones are duplicates). */
function directiveIn(w: Walk, ranges: ts.CommentRange[] | undefined, found: Directive | undefined): Directive | undefined {
  if (!ranges) return found;
  // What the comments precede: the first token after the run.
  const last = ranges[ranges.length - 1]!.end;
  const next = last + (/^\s*/.exec(w.text.slice(last, last + 4096))?.[0].length ?? 0);
  for (const r of ranges) {
    if (w.used.has(r.pos)) continue;
    const d = parseDirective(w.text.slice(r.pos, r.end), r.pos);
    if (!d) continue;
    w.used.add(r.pos);
    if (BLANK_LINE.test(w.text.slice(r.end, next))) {
      report(w, d.at, '// @trace is separated from the next statement by a blank line, so it applies to nothing; remove the blank line', 'warning', 6);
      continue;
    }
    if (found) report(w, d.at, 'duplicate // @trace directive; only the last one above a declaration is used', 'warning', 6);
    found = d;
  }
  return found;
}

/** Directive comments that matched nothing: text occurrences not consumed by the walk. */
function reportOrphans(w: Walk): void {
  const re = /\/\/[ \t]*@trace(?=$|[\s(])|\/\*\*/gm;
  for (let m = re.exec(w.text); m; m = re.exec(w.text)) {
    const pos = m.index;
    if (w.used.has(pos)) continue;
    const end = m[0] === '/**' ? w.text.indexOf('*/', pos + 3) + 2 : lineEnd(w.text, pos);
    if (end < pos) continue;
    const d = parseDirective(w.text.slice(pos, end), pos);
    // Only a comment that *is* a directive: prose inside another comment or a string is not.
    if (!d || !commentStartsAt(w.sf, pos)) continue;
    report(w, d.at, '// @trace applies to nothing here: put it directly above a function, method, class field, variable holding a function, or loop', 'warning', 6);
  }
}

function lineEnd(text: string, pos: number): number {
  const nl = text.indexOf('\n', pos);
  return nl === -1 ? text.length : text[nl - 1] === '\r' ? nl - 1 : nl;
}

function attach(w: Walk, node: ts.Node, d: Directive, scope: Scope): void {
  if (d.error) return report(w, d.at, d.error, 'error', 6);
  const reserved = d.args?.indexOf(RUNTIME) ?? -1;
  if (reserved !== -1) return report(w, d.argsPos + reserved, `a // @trace argument cannot use the identifier prefix ${RUNTIME}, which tracewright reserves for generated code`, 'error', RUNTIME.length);
  const opts = resolveOptions(d.args);
  if (opts.error) return report(w, d.argsPos + opts.error.offset, opts.error.message);
  const fail = (what: string) => report(w, d.at, `// @trace cannot be applied to ${what}`, 'error', 6);

  if (ts.isFunctionDeclaration(node)) {
    const impl = implementation(w, node);
    if (!impl) return fail('a function without a body (declare/overload without implementation)');
    return fn(w, impl, impl.name?.text ?? 'default', opts.text);
  }
  if (ts.isVariableStatement(node)) {
    let any = false;
    for (const decl of node.declarationList.declarations) {
      const f = decl.initializer && functionInitializer(decl.initializer);
      if (f) {
        any = true;
        fn(w, f, ts.isIdentifier(decl.name) ? decl.name.text : 'anonymous', opts.text);
      }
    }
    if (!any) fail('a variable that does not hold a function or arrow function');
    return;
  }
  if (ts.isMethodDeclaration(node)) {
    const impl = implementation(w, node);
    if (!impl) return fail('an abstract method or an overload without implementation');
    return fn(w, impl, memberName(w, node.name), opts.text);
  }
  if (ts.isConstructorDeclaration(node)) {
    const impl = implementation(w, node);
    if (!impl) return fail('a constructor overload without implementation');
    return fn(w, impl, className(node.parent), opts.text);
  }
  if (ts.isPropertyDeclaration(node) || ts.isPropertyAssignment(node)) {
    const f = node.initializer && functionInitializer(node.initializer);
    if (!f) return fail('a property that does not hold a function or arrow function');
    return fn(w, f, memberName(w, node.name), opts.text);
  }
  if (ts.isExportAssignment(node)) {
    const f = functionInitializer(node.expression);
    if (!f) return fail('an export default that is not a function');
    return fn(w, f, 'default', opts.text);
  }
  if (ts.isExpressionStatement(node) && ts.isBinaryExpression(node.expression) && node.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const f = functionInitializer(node.expression.right);
    const left = node.expression.left;
    if (f && ts.isPropertyAccessExpression(left)) return fn(w, f, left.name.text, opts.text);
    if (f && ts.isIdentifier(left)) return fn(w, f, left.text, opts.text);
  }
  if (ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) return fail('a getter or setter (trace the method it calls instead)');
  let target: ts.Node = node;
  const labels: string[] = [];
  while (ts.isLabeledStatement(target)) {
    labels.push(target.label.text);
    target = target.statement;
  }
  if (ts.isIterationStatement(target, false)) return loop(w, node as ts.Statement, target, labels, opts.text, scope);
  fail(`${describeKind(node)}: put it directly above a function, method, class field, variable holding a function, or loop`);
}

function describeKind(node: ts.Node): string {
  const words = ts.SyntaxKind[node.kind]!.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return (/^[aeiou]/.test(words) ? 'an ' : 'a ') + words;
}

/** A function expression or arrow, looking through parentheses and type assertions. */
function functionInitializer(e: ts.Expression): (ts.ArrowFunction | ts.FunctionExpression) | undefined {
  let x: ts.Expression = e;
  while (ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isSatisfiesExpression(x) || ts.isTypeAssertionExpression(x) || ts.isNonNullExpression(x)) x = x.expression;
  return ts.isArrowFunction(x) || ts.isFunctionExpression(x) ? x : undefined;
}

/** For an overload signature, the implementation that follows it (same name, has a body). */
function implementation<T extends ts.FunctionDeclaration | ts.MethodDeclaration | ts.ConstructorDeclaration>(w: Walk, node: T): (T & { body: ts.Block }) | undefined {
  if (node.body) return node as T & { body: ts.Block };
  const siblings: readonly ts.Node[] = ts.isClassLike(node.parent) || ts.isObjectLiteralExpression(node.parent) ? (node.parent as ts.ClassLikeDeclaration).members ?? (node.parent as ts.ObjectLiteralExpression).properties : (node.parent as ts.Block).statements;
  const key = (n: ts.Node) => (ts.isConstructorDeclaration(n) ? 'constructor' : (n as ts.FunctionDeclaration).name?.getText(w.sf));
  for (let i = siblings.indexOf(node) + 1; i < siblings.length; i++) {
    const s = siblings[i]!;
    if (s.kind !== node.kind || key(s) !== key(node)) return undefined;
    if ((s as T).body) {
      return s as T & { body: ts.Block };
    }
  }
  return undefined;
}

function memberName(w: Walk, name: ts.PropertyName): string {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return name.getText(w.sf);
}

function className(c: ts.ClassLikeDeclaration): string {
  return c.name?.text ?? 'constructor';
}

// ---------------------------------------------------------------- functions

function flavorOf(node: ts.FunctionLikeDeclaration): Flavor {
  const isAsync = !!node.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  if (node.asteriskToken) return isAsync ? 'async-generator' : 'generator';
  return isAsync ? 'async' : 'sync';
}

function fn(w: Walk, node: FunctionWithBody, name: string, options: string): void {
  const flavor = flavorOf(node);
  const body = node.body;
  const fail = (message: string, at: ts.Node = node) => report(w, at.getStart(w.sf), `cannot trace ${JSON.stringify(name)}: ${message}`);
  let keep = 0;
  if (ts.isBlock(body)) {
    while (keep < body.statements.length && isPrologueDirective(body.statements[keep]!)) keep++;
    if (ts.isConstructorDeclaration(node) && node.parent.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword)) {
      const i = body.statements.findIndex((s) => ts.isExpressionStatement(s) && ts.isCallExpression(s.expression) && s.expression.expression.kind === ts.SyntaxKind.SuperKeyword);
      if (i === -1) return fail('a derived-class constructor is traced from its top-level `super(...)` call on, and this one has none');
      keep = Math.max(keep, i + 1);
    }
  }
  const inputs = parameterNames(node.parameters);
  const generator = flavor === 'generator' || flavor === 'async-generator';
  const uses = scanBody(w.text, body, generator, inputs.length > 0);
  const redeclared = uses.vars.find((v) => inputs.includes(v.text));
  if (redeclared) return fail(`\`var ${redeclared.text}\` redeclares a parameter; tracing would change its value (use another name)`, redeclared);
  // Every function is traced inline where it can be (see README): constructors too (the closure
  // form added two frames to their stack), generators too (it added frames and, for async
  // generators, microtask turns to every next()).
  const inline = w.nextCall++;
  const plan: FnPlan = { kind: 'fn', node, name, options, inputs, flavor, keep, usesArguments: generator && uses.arguments, inline, deferred: false, superUse: generator ? uses.super : undefined };
  w.plans.push(plan);
  w.inline.set(node, plan);
  w.candidates.splice(firstCandidate(w, node.end - 1), 0, node.end - 1); // the walk must reach it
}

interface BodyUses {
  arguments: boolean;
  super: ts.Node | undefined;
  /** `var` names declared in the body's own function scope. */
  vars: ts.Identifier[];
}

/** Only walks the body when its text can contain what is asked for (a walk per traced function is the analyzer's main cost). */
function scanBody(text: string, body: ts.ConciseBody, generator: boolean, hasParams: boolean): BodyUses {
  const uses: BodyUses = { arguments: false, super: undefined, vars: [] };
  const source = text.slice(body.pos, body.end);
  const wanted = (generator && (source.includes('arguments') || source.includes('super'))) || (hasParams && /\bvar\b/.test(source));
  if (!wanted) return uses;
  const walk = (n: ts.Node, ownScope: boolean): void => {
    if (ts.isIdentifier(n) && n.text === 'arguments') uses.arguments = true;
    if (n.kind === ts.SyntaxKind.SuperKeyword) uses.super ??= n;
    if (ownScope && ts.isVariableDeclarationList(n) && !(n.flags & ts.NodeFlags.BlockScoped)) {
      for (const decl of n.declarations) for (const name of boundIdentifiers(decl.name)) uses.vars.push(name);
    }
    const fnBoundary = ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isMethodDeclaration(n) || ts.isAccessor(n) || ts.isConstructorDeclaration(n) || ts.isClassStaticBlockDeclaration(n);
    if (fnBoundary) return; // their own `arguments`, `super`, `var`
    ts.forEachChild(n, (c) => walk(c, ownScope && !ts.isArrowFunction(n)));
  };
  walk(body, true);
  return uses;
}

function boundIdentifiers(name: ts.BindingName, out: ts.Identifier[] = []): ts.Identifier[] {
  if (ts.isIdentifier(name)) out.push(name);
  else for (const e of name.elements) if (!ts.isOmittedExpression(e)) boundIdentifiers(e.name, out);
  return out;
}

// ---------------------------------------------------------------- loops

function loop(w: Walk, outer: ts.Statement, node: ts.IterationStatement, labels: string[], options: string, scope: Scope): void {
  const inputs: string[] = [];
  if (ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isForStatement(node)) {
    const init = node.initializer;
    if (init && ts.isVariableDeclarationList(init)) for (const decl of init.declarations) boundNames(decl.name, inputs);
    else if (init && !ts.isForStatement(node)) boundNames(init, inputs);
  }
  let indexKey = 'iteration';
  while (inputs.includes(indexKey)) indexKey = '_' + indexKey;
  // An iteration restores the context in its own `finally`, after an inline return would have:
  // the call ends after the body instead (in an async function, the iteration's suspensions
  // leave the call's context too: LoopInCall).
  if (scope.fn) scope.fn.deferred = true;
  const plan: LoopPlan = { kind: 'loop', node, outer, id: w.nextLoop++, parent: scope.loop, name: labels[0] ?? loopName(w, node), options, inputs, indexKey };
  w.plans.push(plan);
  w.loops.set(node, plan);
}

function loopName(w: Walk, node: ts.IterationStatement): string {
  const text = ts.isDoStatement(node)
    ? `do…while (${node.expression.getText(w.sf)})`
    : w.text.slice(node.getStart(w.sf), node.statement.getStart(w.sf));
  const name = text.replace(/\s+/g, ' ').trim();
  return name.length > 80 ? name.slice(0, 79) + '…' : name;
}

// ---------------------------------------------------------------- @Trace decorators

function collectTraceImports(w: Walk): void {
  for (const stmt of w.sf.statements) {
    if (!ts.isImportDeclaration(stmt) || !ts.isStringLiteral(stmt.moduleSpecifier) || stmt.moduleSpecifier.text !== RUNTIME_MODULE) continue;
    const bindings = stmt.importClause?.namedBindings;
    if (!bindings || stmt.importClause!.isTypeOnly) continue;
    if (ts.isNamespaceImport(bindings)) w.traceNamespaces.add(bindings.name.text);
    else for (const el of bindings.elements) if (!el.isTypeOnly && (el.propertyName ?? el.name).text === 'Trace') w.traceNames.add(el.name.text);
  }
}

function decorator(w: Walk, node: ts.Decorator): void {
  const call = node.expression;
  if (!ts.isCallExpression(call)) return;
  const callee = call.expression;
  const isTrace = (ts.isIdentifier(callee) && w.traceNames.has(callee.text)) ||
    (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && w.traceNamespaces.has(callee.expression.text) && callee.name.text === 'Trace');
  if (!isTrace || call.arguments.length >= 2) return; // already has build info
  const target = node.parent;
  let params: readonly ts.ParameterDeclaration[] | undefined;
  if (ts.isMethodDeclaration(target)) params = target.parameters;
  else if (ts.isPropertyDeclaration(target) && target.initializer) params = functionInitializer(target.initializer)?.parameters;
  if (!params) return;
  const traced = w.plans.some((p) => p.kind === 'fn' && (p.node === target || (ts.isPropertyDeclaration(target) && p.node === functionInitializer(target.initializer!))));
  if (traced) report(w, node.getStart(w.sf), 'this member has both // @trace and @Trace: every call records two nested spans; keep one', 'warning');
  w.plans.push({ kind: 'decorator', call, params: parameterPatterns(params) });
}

function isPrologueDirective(s: ts.Statement): boolean {
  return ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression);
}
