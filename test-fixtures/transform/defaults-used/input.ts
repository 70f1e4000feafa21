// Inputs are the values the function used: an omitted argument records its default, evaluated
// once, in order, by the function itself (issue 12 item 11).
const order: string[] = []
const next = (label: string, value: number) => (order.push(label), value)

// @trace
function search(query: string, k = 3, filter: string | null = null) {
  return `${query}:${k}:${filter}`
}

// @trace
const scored = (query: string, limit = next('limit', 10), offset = limit * 2) => [query, limit, offset]

class Index {
  // @trace
  constructor(readonly name = 'main', private size = next('size', 4)) {}

  // @trace
  lookup(id: number, { fields = ['id'], strict = false }: { fields?: string[]; strict?: boolean } = {}, ...more: number[]) {
    return [id, fields, strict, more.length, this.size]
  }
}

// @trace
async function fetchPage(page = 1, [first, second = 'b'] = ['a']) {
  return `${page}${first}${second}`
}

// @trace
function* countdown(from = next('from', 2)) {
  for (let i = from; i > 0; i--) yield i
}

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
