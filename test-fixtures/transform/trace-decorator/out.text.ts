import { Trace as Traced, SpanType } from '@tracewright/runtime';
import * as tw from '@tracewright/runtime';

function Trace(_opts?: unknown) {
  // a user's own decorator named Trace: must not get build info
  return (target: any, _ctx: ClassMethodDecoratorContext) => target;
}

class Search {
  @Traced(SpanType.RETRIEVER, { params: ["query","{ k, filter }","...rest"] })
  find(query: string, { k = 3, filter }: { k?: number; filter?: string } = {}, ...rest: string[]) {
    return `${query}:${k}:${filter}:${rest.length}`;
  }
  @tw.Trace(undefined, { params: ["a","[b, c]"] })
  rank(a: number, [b, c]: number[]) {
    return a + b + c;
  }
  @Trace()
  plain(x: number) {
    return x;
  }
}

export function run(log: (x: unknown) => void) {
  const s = new Search();
  log(s.plain(1));
  return [s.find('q', { filter: 'f' }, 'x'), s.rank(1, [2, 3])];
}
