// What `tracewright-rewrite --check` lists: every place the core decided to trace, taken from
// the core's own analysis (the same one `rewrite` renders), never re-derived here.
import ts from 'typescript';
import { DEFAULT_RUNTIME_MODULE, mayContainDirectives } from '../index.js';
import { analyzeFile, parse } from '../core/rewrite.js';

export interface TraceSite {
  /** 1-based position of the traced declaration, loop or decorator. */
  line: number;
  column: number;
  kind: 'function' | 'loop' | 'decorator';
  name: string;
}

export function traceSites(code: string, fileName: string, runtimeModule = DEFAULT_RUNTIME_MODULE): TraceSite[] {
  if (!mayContainDirectives(code)) return [];
  const sf = parse(code, fileName);
  const analysis = analyzeFile(sf, runtimeModule);
  if (!analysis) return [];
  const sites: TraceSite[] = [];
  const at = (node: ts.Node) => {
    const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    return { line: line + 1, column: character + 1 };
  };
  for (const plan of analysis.plans) {
    if (plan.kind === 'fn') sites.push({ ...at(plan.node), kind: 'function', name: plan.name });
    else if (plan.kind === 'loop') sites.push({ ...at(plan.node), kind: 'loop', name: plan.name });
    else if (plan.kind === 'decorator') sites.push({ ...at(plan.call), kind: 'decorator', name: plan.call.expression.getText(sf) });
  }
  return sites;
}
