import * as __tw$ from "@tracewright/runtime/inject";
// Inputs are the values the function used: an omitted argument records its default, evaluated
// once, in order, by the function itself (issue 12 item 11).
const order = [];
const next = (label, value) => (order.push(label), value);
// @trace
function search(query, k = 3, filter = null) {
    return __tw$.fn("search", undefined, { query, k, filter }, () => {
        return `${query}:${k}:${filter}`;
    });
}
// @trace
const scored = (query, limit = next('limit', 10), offset = limit * 2) => __tw$.fn("scored", undefined, { query, limit, offset }, () => [query, limit, offset]);
class Index {
    name;
    size;
    // @trace
    constructor(name = 'main', size = next('size', 4)) {
        this.name = name;
        this.size = size;
        return __tw$.fn("Index", undefined, { name, size }, () => {
        });
    }
    // @trace
    lookup(id, { fields = ['id'], strict = false } = {}, ...more) {
        return __tw$.fn("lookup", undefined, { id, fields, strict, more }, () => {
            return [id, fields, strict, more.length, this.size];
        });
    }
}
// @trace
async function fetchPage(page = 1, [first, second = 'b'] = ['a']) {
    return __tw$.fn("fetchPage", undefined, { page, first, second }, async () => {
        return `${page}${first}${second}`;
    });
}
// @trace
function* countdown(from = next('from', 2)) {
    return yield* __tw$.gen("countdown", undefined, { from }, function* () {
        for (let i = from; i > 0; i--)
            yield i;
    }.call(this));
}
export async function run(log) {
    log(search('x'));
    log(search('y', undefined, 'f'));
    log(scored('q'));
    const index = new Index();
    log(index.lookup(7));
    log(index.lookup(8, { strict: true }, 1, 2));
    log(await fetchPage());
    log([...countdown()]);
    return order;
}
