/**
 * The wrapper shapes, defined once. Each template is a pair of texts placed around an
 * original piece of code (the hole). The text emitter inserts the two halves around the
 * original source range; the factory emitter parses `open + HOLE + close` and splices the
 * original (visited) nodes in place of HOLE. Keep every template on one line: the text
 * emitter puts them on existing lines so stack traces keep their line numbers.
 */
import type { ContextScope, DisposalPlan, FnPlan, LoopPlan, ReturnPlan } from './plan.js';

/** Local name of the runtime namespace in generated code. */
export const RUNTIME = '__tw$';
/** Placeholder identifier the factory emitter replaces with original code. */
export const HOLE = '__tw$HOLE';

export interface Template {
  open: string;
  close: string;
}

export const scopeVar = (id: number) => `${RUNTIME}i${id}`;
const callVar = (id: number) => `${RUNTIME}c${id}`;
const resultVar = (id: number) => `${RUNTIME}r${id}`;
const counterVar = (id: number) => `${RUNTIME}n${id}`;
const guardVar = (id: number) => `${RUNTIME}g${id}`;
const heldVar = (id: number) => `${RUNTIME}h${id}`;

function inputsText(names: readonly string[], extra?: string): string {
  const parts = names.map((n) => n);
  if (extra) parts.push(extra);
  return parts.length ? `{ ${parts.join(', ')} }` : '{}';
}

function head(plan: FnPlan): string {
  return `${JSON.stringify(plan.name)}, ${plan.options}, ${inputsText(plan.inputs)}`;
}

/**
 * `let c = ...;`: the call's context first, and only for a call that is traced its options and
 * inputs literal and the span. A call that records nothing (tracing off, past the trace's span
 * budget, sampled out) costs a context read: a recursive walk past its budget makes hundreds of
 * thousands of them.
 */
function enterCall(plan: FnPlan, c: string): string {
  return `let ${c} = ${RUNTIME}.context(); ${c} = ${c} === null ? undefined : ${RUNTIME}.enterIn(${c}, ${head(plan)});`;
}

/** A context a suspension leaves and re-enters: its variable and the runtime's functions for it. */
interface ContextVar {
  v: string;
  leave: string;
  back: string;
  /** A generator's call: a plain `yield` records its value on the way out. */
  item?: string;
}

const isGenerator = (plan: FnPlan) => plan.flavor === 'generator' || plan.flavor === 'async-generator';

function callContext(plan: FnPlan): ContextVar {
  const v = callVar(plan.inline!);
  // A generator is resumed by whoever calls next(): its own leave/back remember that context.
  return isGenerator(plan) ? { v, leave: 'gleave', back: 'gback', item: 'yielded' } : { v, leave: 'leave', back: 'back' };
}

/**
 * The contexts a suspension's scope lives in, innermost first: the loop's iteration and/or the
 * inline call (a call that fell back to the closure form has none).
 */
function contextVars(scope: ContextScope): ContextVar[] {
  const iteration = (id: number): ContextVar => ({ v: scopeVar(id), leave: 'leave', back: 'back' });
  if (typeof scope === 'number') return [iteration(scope)];
  if ('loop' in scope) return scope.call.inline === undefined ? [iteration(scope.loop)] : [iteration(scope.loop), callContext(scope.call)];
  return [callContext(scope)];
}

/** `f(g(X, inner), outer)`: open and close around X, innermost var applied first. */
function nested(vars: readonly ContextVar[], fn: (c: ContextVar) => string): Template {
  return { open: [...vars].reverse().map((c) => `${RUNTIME}.${fn(c)}(`).join(''), close: vars.map((c) => `, ${c.v})`).join('') };
}

/**
 * Sync and async functions inline: the call is entered before the body and ended by every
 * return ({@link returnValue}), by falling off the end (after the `try`, so no statement of
 * the body can run into it), or by the catch. An async body leaves the call's context around
 * each of its awaits ({@link suspendOuter}).
 */
function inlineParts(plan: FnPlan & { inline: number }): { enter: string; fail: string; c: string } {
  const c = callVar(plan.inline);
  const held = holds(plan);
  const enter = `${enterCall(plan, c)}${held ? ` let ${heldVar(plan.inline)};` : ''}`;
  return { c, enter, fail: `catch (${RUNTIME}e) { ${failStatements(plan, c)} }` };
}

/**
 * An async function traced inline holds the operand of each `await` and `return` in
 * `__tw$h<id>` until the runtime call between it and the engine has run: near the stack limit
 * that call can be the one that overflows, after the operand (say, a promise an async callee
 * rejected for lack of stack) was made but before the program's own `await` could take it.
 * `fail` then consumes it as the `await` would have; when not even `fail` can be called, the
 * catch awaits it itself (no call needed), so its rejection is never left unhandled.
 */
function holds(plan: FnPlan): boolean {
  return plan.inline !== undefined && plan.flavor === 'async';
}

/** The catch clause's statements (`e` is the caught error; `c` the call). */
function failStatements(plan: FnPlan & { inline: number }, c: string, before = ''): string {
  const e = `${RUNTIME}e`;
  if (!holds(plan)) return `${before}throw ${RUNTIME}.fail(${c}, ${e});`;
  const h = heldVar(plan.inline);
  return `${before}try { ${e} = ${RUNTIME}.fail(${c}, ${e}, ${h}); } catch { if (${h} !== undefined) try { await ${h}; } catch {} } throw ${e};`;
}

function isInline(plan: FnPlan): plan is FnPlan & { inline: number } {
  return plan.inline !== undefined;
}

/** Around the statements of a block body that run inside the span. */
export function fnStatements(plan: FnPlan): Template {
  if (isInline(plan) && isGenerator(plan)) {
    // Starts on the first next(), when the body starts; returns need nothing (the span records
    // the yielded items), the span ends after the body however it ends (completed, closed, thrown).
    const c = callVar(plan.inline);
    const r = resultVar(plan.inline);
    return {
      open: `const ${c} = ${RUNTIME}.genEnter(${head(plan)}); let ${r}; try {`,
      close: `} catch (${RUNTIME}e) { ${r} = ${c}; throw ${RUNTIME}.genFail(${c}, ${RUNTIME}e); } finally { if (${r} !== ${c}) ${RUNTIME}.genEnd(${c}); }`,
    };
  }
  if (isInline(plan) && plan.deferred) {
    // Returns only record their value; the call ends in `finally`, after the function's own
    // finally blocks, iterator closing and disposals. Falling off the end returns undefined
    // (also after a `finally` that cancelled a return with break/continue). The catch marks the
    // call failed with the call itself, a value no return can produce.
    const c = callVar(plan.inline);
    const r = resultVar(plan.inline);
    const held = holds(plan) ? `, ${heldVar(plan.inline)}` : '';
    return {
      open: `${enterCall(plan, c)} let ${r}${held}; try {`,
      close: `${r} = undefined; } catch (${RUNTIME}e) { ${failStatements(plan, c, `${r} = ${c}; `)} } finally { if (${r} !== ${c}) ${RUNTIME}.exit(${c}, ${r}); }`,
    };
  }
  if (isInline(plan)) {
    const { c, enter, fail } = inlineParts(plan);
    return { open: `${enter} try {`, close: `} ${fail} ${RUNTIME}.exit(${c}, undefined);` };
  }
  switch (plan.flavor) {
    case 'sync':
      return { open: `return ${RUNTIME}.fn(${head(plan)}, () => {`, close: `});` };
    case 'async':
      return { open: `return ${RUNTIME}.fn(${head(plan)}, async () => {`, close: `});` };
    case 'generator':
    case 'async-generator': {
      const kw = plan.flavor === 'generator' ? 'function*' : 'async function*';
      const call = plan.usesArguments ? '.apply(this, arguments)' : '.call(this)';
      return { open: `return yield* ${RUNTIME}.gen(${head(plan)}, ${kw} () {`, close: `}${call});` };
    }
  }
}

/** Around the expression body of an arrow function (inline: the result is a block body). */
export function fnExpression(plan: FnPlan): Template {
  if (isInline(plan)) {
    const { c, enter, fail } = inlineParts(plan);
    const held = holds(plan) ? `${heldVar(plan.inline)} = ` : '';
    return { open: `{ ${enter} try { return ${RUNTIME}.exit(${c}, ${held}`, close: `); } ${fail} }` };
  }
  const arrow = plan.flavor === 'async' ? 'async () =>' : '() =>';
  return { open: `${RUNTIME}.fn(${head(plan)}, ${arrow} `, close: `)` };
}

/** Around the value of a `return` in an inline-traced function (`undefined` for a bare `return`). */
export function returnValue(plan: ReturnPlan): Template {
  if (isGenerator(plan.fn)) {
    // An async generator's `return x` awaits x: the resumer gets its context back before.
    const c = callVar(plan.fn.inline!);
    return plan.comma ? { open: `${RUNTIME}.gleave((`, close: `), ${c})` } : { open: `${RUNTIME}.gleave(`, close: `, ${c})` };
  }
  if (plan.fn.deferred) {
    const r = resultVar(plan.fn.inline!);
    return plan.comma ? { open: `(${r} = (`, close: `))` } : { open: `(${r} = `, close: `)` };
  }
  const c = callVar(plan.fn.inline!);
  const held = holds(plan.fn) ? `${heldVar(plan.fn.inline!)} = ` : '';
  return plan.comma ? { open: `${RUNTIME}.exit(${c}, ${held}(`, close: `))` } : { open: `${RUNTIME}.exit(${c}, ${held}`, close: `)` };
}

/** Around the whole loop statement (with its labels): the iteration counter. */
export function loopStatement(plan: LoopPlan): Template {
  return { open: `{ let ${counterVar(plan.id)} = 0; `, close: ` }` };
}

/** Around the loop body: one span per iteration, ended exactly once by `finally`. */
export function loopBody(plan: LoopPlan): Template {
  const s = scopeVar(plan.id);
  const inputs = inputsText(plan.inputs, `${plan.indexKey}: ${counterVar(plan.id)}++`);
  const parent = plan.parent === undefined ? '' : `, ${scopeVar(plan.parent)}`;
  return {
    open: `{ const ${s} = ${RUNTIME}.iter(${JSON.stringify(plan.name)}, ${plan.options}, ${inputs}${parent}); try { `,
    close: ` } catch (${RUNTIME}e) { ${s}.fail(${RUNTIME}e); throw ${RUNTIME}e; } finally { ${s}.end(); } }`,
  };
}

/** Around an `await`/`yield` expression in a traced loop body or an inline-traced async function. */
export function suspendOuter(scope: ContextScope): Template {
  // Re-entered outermost first: the call, then the iteration inside it.
  return nested(contextVars(scope).reverse(), (c) => c.back);
}

/**
 * Around the operand of that `await`/`yield` (an absent operand is `undefined`); the iterable of a
 * `for await`. `item`: a plain `yield`, whose value a generator's span records.
 */
export function suspendOperand(scope: ContextScope, item = false, awaited = false): Template {
  const t = nested(contextVars(scope), (c) => (item && c.item) || c.leave);
  const call = typeof scope === 'number' ? undefined : 'loop' in scope ? scope.call : scope;
  return awaited && call && holds(call) ? { open: `${t.open}${heldVar(call.inline!)} = `, close: t.close } : t;
}

/**
 * First statement of a catch/finally block reached from a suspension; of a `for await` body,
 * and the statement after that loop.
 */
export function reenter(scope: ContextScope): string {
  return contextVars(scope)
    .reverse()
    .map((c) => `${RUNTIME}.${c.back}(undefined, ${c.v});`)
    .join(' ');
}

/** Around a `for await` statement (with its labels) of an inline-traced async function. */
export function forAwaitStatement(scope: ContextScope): Template {
  return { open: '{ ', close: ` ${reenter(scope)} }` };
}

/** Around the body of that loop. */
export function forAwaitBody(scope: ContextScope): Template {
  return { open: `{ ${reenter(scope)} `, close: ' }' };
}

/**
 * After the last `await using` of a block: a resource disposed before all of them (disposal is
 * last-in first-out) that gives the caller its context back before their disposals await. A sync
 * resource adds no await. `disposing(undefined)` (not traced) is undefined, which `using` skips.
 */
export function disposalGuard(plan: DisposalPlan): string {
  return `using ${guardVar(plan.scope.inline!)} = ${RUNTIME}.disposing(${callVar(plan.scope.inline!)});`;
}

/** Around the statement holding that block (not the function body): the span's context is re-entered however it is left. */
export function disposalStatement(plan: DisposalPlan): Template {
  return { open: 'try { ', close: ` } finally { ${reenter(plan.scope)} }` };
}

/** The build-info argument added to `@Trace(...)`. */
export function buildInfo(params: readonly string[]): string {
  return `{ params: ${JSON.stringify(params)} }`;
}

export function runtimeImport(kind: 'esm' | 'cjs', module: string): string {
  return kind === 'esm' ? `import * as ${RUNTIME} from ${JSON.stringify(module)}; ` : `const ${RUNTIME} = require(${JSON.stringify(module)}); `;
}
