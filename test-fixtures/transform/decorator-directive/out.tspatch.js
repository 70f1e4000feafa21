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
import * as __tw$ from "@tracewright/runtime/inject";
// A directive between a decorator and its member names that member (issue 12 item 8).
const calls = [];
function logged(method, context) {
    return function (...args) {
        calls.push(`logged ${String(context.name)}`);
        return method.apply(this, args);
    };
}
function tagged(method, _context) {
    return method;
}
let Greeter = (() => {
    let _staticExtraInitializers = [];
    let _instanceExtraInitializers = [];
    let _static_shout_decorators;
    let _greet_decorators;
    let _later_decorators;
    return class Greeter {
        static {
            const _metadata = typeof Symbol === "function" && Symbol.metadata ? Object.create(null) : void 0;
            _greet_decorators = [logged];
            _static_shout_decorators = [logged];
            _later_decorators = [tagged, logged];
            __esDecorate(this, null, _static_shout_decorators, { kind: "method", name: "shout", static: true, private: false, access: { has: obj => "shout" in obj, get: obj => obj.shout }, metadata: _metadata }, null, _staticExtraInitializers);
            __esDecorate(this, null, _greet_decorators, { kind: "method", name: "greet", static: false, private: false, access: { has: obj => "greet" in obj, get: obj => obj.greet }, metadata: _metadata }, null, _instanceExtraInitializers);
            __esDecorate(this, null, _later_decorators, { kind: "method", name: "later", static: false, private: false, access: { has: obj => "later" in obj, get: obj => obj.later }, metadata: _metadata }, null, _instanceExtraInitializers);
            if (_metadata) Object.defineProperty(this, Symbol.metadata, { enumerable: true, configurable: true, writable: true, value: _metadata });
            __runInitializers(this, _staticExtraInitializers);
        }
        greeting = __runInitializers(this, _instanceExtraInitializers);
        constructor(greeting) {
            this.greeting = greeting;
        }
        greet(name) {
            let __tw$c0 = __tw$.context();
            __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "greet", undefined, { name });
            try {
                return __tw$.exit(__tw$c0, `${this.greeting}, ${name}`);
            }
            catch (__tw$e) {
                throw __tw$.fail(__tw$c0, __tw$e);
            }
            __tw$.exit(__tw$c0, undefined);
        }
        // @trace(TOOL)
        static shout(text) {
            let __tw$c1 = __tw$.context();
            __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "shout", "TOOL", { text });
            try {
                return __tw$.exit(__tw$c1, text.toUpperCase());
            }
            catch (__tw$e) {
                throw __tw$.fail(__tw$c1, __tw$e);
            }
            __tw$.exit(__tw$c1, undefined);
        }
        async later(n) {
            let __tw$c2 = __tw$.context();
            __tw$c2 = __tw$c2 === null ? undefined : __tw$.enterIn(__tw$c2, "later", undefined, { n });
            let __tw$h2;
            try {
                return __tw$.exit(__tw$c2, __tw$h2 = n + 1);
            }
            catch (__tw$e) {
                try {
                    __tw$e = __tw$.fail(__tw$c2, __tw$e, __tw$h2);
                }
                catch {
                    if (__tw$h2 !== undefined)
                        try {
                            await __tw$h2;
                        }
                        catch {
                        }
                }
                throw __tw$e;
            }
            __tw$.exit(__tw$c2, undefined);
        }
    };
})();
export async function run(log) {
    const g = new Greeter('hello');
    log(g.greet('ada'));
    log(Greeter.shout('hey'));
    log(await g.later(1));
    log(calls);
    return calls.length;
}
