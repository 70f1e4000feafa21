import * as __tw$ from "@tracewright/runtime/inject"; // Inputs are the values the function used: an omitted argument records its default, evaluated
// once, in order, by the function itself (issue 12 item 11).
const order: string[] = []
const next = (label: string, value: number) => (order.push(label), value)

// @trace
function search(query: string, k = 3, filter: string | null = null) { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "search", undefined, { query, k, filter }); try {
  return __tw$.exit(__tw$c0, `${query}:${k}:${filter}`)
} catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); }

// @trace
const scored = (query: string, limit = next('limit', 10), offset = limit * 2) => { let __tw$c1 = __tw$.context(); __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "scored", undefined, { query, limit, offset }); try { return __tw$.exit(__tw$c1, [query, limit, offset]); } catch (__tw$e) { throw __tw$.fail(__tw$c1, __tw$e); } }

class Index {
  // @trace
  constructor(readonly name = 'main', private size = next('size', 4)) { let __tw$c2 = __tw$.context(); __tw$c2 = __tw$c2 === null ? undefined : __tw$.enterIn(__tw$c2, "Index", undefined, { name, size }); try {} catch (__tw$e) { throw __tw$.fail(__tw$c2, __tw$e); } __tw$.exit(__tw$c2, undefined); }

  // @trace
  lookup(id: number, { fields = ['id'], strict = false }: { fields?: string[]; strict?: boolean } = {}, ...more: number[]) { let __tw$c3 = __tw$.context(); __tw$c3 = __tw$c3 === null ? undefined : __tw$.enterIn(__tw$c3, "lookup", undefined, { id, fields, strict, more }); try {
    return __tw$.exit(__tw$c3, [id, fields, strict, more.length, this.size])
  } catch (__tw$e) { throw __tw$.fail(__tw$c3, __tw$e); } __tw$.exit(__tw$c3, undefined); }
}

// @trace
async function fetchPage(page = 1, [first, second = 'b'] = ['a']) { let __tw$c4 = __tw$.context(); __tw$c4 = __tw$c4 === null ? undefined : __tw$.enterIn(__tw$c4, "fetchPage", undefined, { page, first, second }); let __tw$h4; try {
  return __tw$.exit(__tw$c4, __tw$h4 = `${page}${first}${second}`)
} catch (__tw$e) { try { __tw$e = __tw$.fail(__tw$c4, __tw$e, __tw$h4); } catch { if (__tw$h4 !== undefined) try { await __tw$h4; } catch {} } throw __tw$e; } __tw$.exit(__tw$c4, undefined); }

// @trace
function* countdown(from = next('from', 2)) { const __tw$c5 = __tw$.genEnter("countdown", undefined, { from }); let __tw$r5; try {
  for (let i = from; i > 0; i--) __tw$.gback(yield __tw$.yielded(i, __tw$c5), __tw$c5)
} catch (__tw$e) { __tw$r5 = __tw$c5; throw __tw$.genFail(__tw$c5, __tw$e); } finally { if (__tw$r5 !== __tw$c5) __tw$.genEnd(__tw$c5); } }

export async function run(log: (x: unknown) => void) {
  log(search('x'))
  log(search('y', undefined, 'f'))
  log(scored('q'))
  const index = new Index()
  log(index.lookup(7))
  log(index.lookup(8, { strict: true }, 1, 2))
  log(await fetchPage())
  log([...countdown()])
  return order
}
