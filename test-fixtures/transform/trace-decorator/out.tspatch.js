var __runInitializers = (this && this.__runInitializers) || function (thisArg, initializers, value) {
    var useValue = arguments.length > 2;
    for (var i = 0; i < initializers.length; i++) {
        value = useValue ? initializers[i].call(thisArg, value) : initializers[i].call(thisArg);
    }
    return useValue ? value : void 0;
};
var __esDecorate = (this && this.__esDecorate) || function (ctor, descriptorIn, decorators, contextIn, initializers, extraInitializers) {
    function accept(f) { if (f !== void 0 && typeof f !== "function") throw new TypeError("Function expected"); return f; }
    var kind = contextIn.kind, key = kind === "getter" ? "get" : kind === "setter" ? "set" : "value";
    var target = !descriptorIn && ctor ? contextIn["static"] ? ctor : ctor.prototype : null;
    var descriptor = descriptorIn || (target ? Object.getOwnPropertyDescriptor(target, contextIn.name) : {});
    var _, done = false;
    for (var i = decorators.length - 1; i >= 0; i--) {
        var context = {};
        for (var p in contextIn) context[p] = p === "access" ? {} : contextIn[p];
        for (var p in contextIn.access) context.access[p] = contextIn.access[p];
        context.addInitializer = function (f) { if (done) throw new TypeError("Cannot add initializers after decoration has completed"); extraInitializers.push(accept(f || null)); };
        var result = (0, decorators[i])(kind === "accessor" ? { get: descriptor.get, set: descriptor.set } : descriptor[key], context);
        if (kind === "accessor") {
            if (result === void 0) continue;
            if (result === null || typeof result !== "object") throw new TypeError("Object expected");
            if (_ = accept(result.get)) descriptor.get = _;
            if (_ = accept(result.set)) descriptor.set = _;
            if (_ = accept(result.init)) initializers.unshift(_);
        }
        else if (_ = accept(result)) {
            if (kind === "field") initializers.unshift(_);
            else descriptor[key] = _;
        }
    }
    if (target) Object.defineProperty(target, contextIn.name, descriptor);
    done = true;
};
import { Trace as Traced, SpanType } from '@tracewright/runtime';
import * as tw from '@tracewright/runtime';
function Trace(_opts) {
    // a user's own decorator named Trace: must not get build info
    return (target, _ctx) => target;
}
let Search = (() => {
    let _instanceExtraInitializers = [];
    let _find_decorators;
    let _rank_decorators;
    let _plain_decorators;
    return class Search {
        static {
            const _metadata = typeof Symbol === "function" && Symbol.metadata ? Object.create(null) : void 0;
            _find_decorators = [Traced(SpanType.RETRIEVER, { params: ["query", "{ k, filter }", "...rest"] })];
            _rank_decorators = [tw.Trace(undefined, { params: ["a", "[b, c]"] })];
            _plain_decorators = [Trace()];
            __esDecorate(this, null, _find_decorators, { kind: "method", name: "find", static: false, private: false, access: { has: obj => "find" in obj, get: obj => obj.find }, metadata: _metadata }, null, _instanceExtraInitializers);
            __esDecorate(this, null, _rank_decorators, { kind: "method", name: "rank", static: false, private: false, access: { has: obj => "rank" in obj, get: obj => obj.rank }, metadata: _metadata }, null, _instanceExtraInitializers);
            __esDecorate(this, null, _plain_decorators, { kind: "method", name: "plain", static: false, private: false, access: { has: obj => "plain" in obj, get: obj => obj.plain }, metadata: _metadata }, null, _instanceExtraInitializers);
            if (_metadata) Object.defineProperty(this, Symbol.metadata, { enumerable: true, configurable: true, writable: true, value: _metadata });
        }
        find(query, { k = 3, filter } = {}, ...rest) {
            return `${query}:${k}:${filter}:${rest.length}`;
        }
        rank(a, [b, c]) {
            return a + b + c;
        }
        plain(x) {
            return x;
        }
        constructor() {
            __runInitializers(this, _instanceExtraInitializers);
        }
    };
})();
export function run(log) {
    const s = new Search();
    log(s.plain(1));
    return [s.find('q', { filter: 'f' }, 'x'), s.rank(1, [2, 3])];
}
