/**
 * What the analyzer decided, per site. Both emitters render exactly these plans; no emitter
 * makes a decision of its own.
 */
import type ts from 'typescript';

export type Flavor = 'sync' | 'async' | 'generator' | 'async-generator';

/** A traced function, method, constructor or arrow. */
export interface FnPlan {
  kind: 'fn';
  node: ts.FunctionLikeDeclaration & { body: ts.ConciseBody };
  /** Default span name (also recorded as the function name). */
  name: string;
  /** JS expression text for the options argument (`undefined` when the directive has none). */
  options: string;
  /** Binding names whose values become the inputs, in order. */
  inputs: string[];
  flavor: Flavor;
  /** Block bodies: leading statements kept outside the span ("use strict" prologue, `super(...)`). */
  keep: number;
  /** Generators: the body reads `arguments`, so the inner generator is applied to them. */
  usesArguments: boolean;
  /**
   * Functions rendered inline (no body closure: one stack frame per traced call, no added
   * microtask turn; generators too, with no outer generator): the id of the local holding the
   * call (`__tw$c<id>`); the body's returns are {@link ReturnPlan}s, the awaits and yields of an
   * async or generator body {@link SuspendPlan}s of the call.
   * undefined: the body runs in a closure handed to the runtime (see analyze.ts for when).
   */
  inline: number | undefined;
  /**
   * Inline, but code of the function can still run after a return's value is taken (a
   * `finally`, a `for…of` iterator's `return()`, `using` disposal, a traced loop's iteration
   * end): each return records its value in `__tw$r<id>` and the call ends in a `finally` around
   * the whole body, after all of that code.
   */
  deferred: boolean;
  /** Generators: a `super` in the body (the closure form, where a generator must fall back to it, cannot have one). */
  superUse?: ts.Node | undefined;
}

/** A `return` of an inline-traced function (not of a function nested in it): ends the call. */
export interface ReturnPlan {
  kind: 'return';
  node: ts.ReturnStatement;
  fn: FnPlan;
  /** `return a, b`: the value is parenthesized to stay one argument. */
  comma: boolean;
}

/** A traced loop: one span per iteration. */
export interface LoopPlan {
  kind: 'loop';
  node: ts.IterationStatement;
  /** The loop or the outermost label around it: the statement the counter block wraps. */
  outer: ts.Statement;
  id: number;
  /** id of the enclosing traced loop in the same function, whose iteration is the parent. */
  parent: number | undefined;
  name: string;
  options: string;
  inputs: string[];
  /** Key for the iteration index in the inputs. */
  indexKey: string;
}

/**
 * The context a suspension leaves and re-enters: the iteration of a traced loop (by id), the
 * call of an inline-traced async function, or both (a traced loop in such a function: the
 * iteration is left, then the call, so the caller gets its own context back).
 */
export type ContextScope = number | FnPlan | LoopInCall;

export interface LoopInCall {
  loop: number;
  call: FnPlan;
}

/**
 * An `await`/`yield` inside a traced loop body, or an `await` of an inline-traced async
 * function itself: leaves and re-enters the scope's context.
 */
export interface SuspendPlan {
  kind: 'suspend';
  node: ts.AwaitExpression | ts.YieldExpression;
  /** Innermost enclosing traced loop, else the inline-traced async function. */
  scope: ContextScope;
  /** A plain `yield` (not `yield*`, not `await`): a generator's span records its value. */
  item: boolean;
  /** An `await` (its operand is held for the call, see templates.ts). */
  awaited: boolean;
}

/**
 * A catch/finally block of a `try` whose try block suspends (in a traced loop body or an
 * inline-traced async function): when the `await` rejects (or a generator is resumed with
 * throw()/return()), the code after it never runs, so the handler re-enters the context itself.
 */
export interface ReenterPlan {
  kind: 'reenter';
  block: ts.Block;
  scope: ContextScope;
}

/**
 * A `for await` of an inline-traced async function itself. Its awaits are implicit, so the
 * context is left when the iterable has been evaluated (before the first `next()` result is
 * awaited: the only suspension that can return to the caller) and re-entered at the start of
 * the body and after the loop. Later awaits happen at the end of an iteration, inside a
 * resumed turn of the function where no other code runs: the context they carry is the span's,
 * which is what the body needs when it resumes.
 */
export interface ForAwaitPlan {
  kind: 'for-await';
  node: ts.ForOfStatement;
  /** The loop or the outermost label around it: the statement the re-entry after the loop follows. */
  outer: ts.Statement;
  scope: FnPlan;
}

/**
 * The `await using` declarations of one block (or `switch`) of an inline-traced async function.
 * Their disposal awaits are implicit, and the first of them can be the suspension that returns
 * to the caller, so a `using` guard declared after the last of them (disposed first, before any
 * of their disposals) gives the caller its context back; `outer`, when the block is not the
 * function body, is wrapped in `try { } finally { back }` so the code after it (however the
 * block is left) runs in the span's context again.
 */
export interface DisposalPlan {
  kind: 'disposal';
  /** The block or case clause holding the declarations. */
  container: ts.Block | ts.CaseOrDefaultClause;
  /** Index in the container's statements of the last `await using` declaration. */
  after: number;
  /** The statement re-entered after: the block itself, the `try` or `switch` it belongs to; undefined for the function body. */
  outer: ts.Statement | undefined;
  scope: FnPlan;
}

/** A `@Trace(...)` decorator from @tracewright/runtime that gets build-time parameter names. */
export interface DecoratorPlan {
  kind: 'decorator';
  call: ts.CallExpression;
  params: string[];
}

export type Plan = FnPlan | ReturnPlan | LoopPlan | SuspendPlan | ReenterPlan | ForAwaitPlan | DisposalPlan | DecoratorPlan;

export interface Located {
  start: number;
  length: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface Analysis {
  /** In walk order: an enclosing site always precedes the sites inside it. */
  plans: Plan[];
  diagnostics: Located[];
  /** Whether generated code must import the runtime (false for decorator-only files). */
  needsRuntime: boolean;
  /** Leading statements (directive prologue) the runtime import must follow. */
  prologue: number;
}
