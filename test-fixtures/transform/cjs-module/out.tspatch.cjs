"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.LABEL = void 0;
exports.run = run;
const __tw$ = __importStar(require("@tracewright/runtime/inject"));
// A CommonJS module (.cts): the runtime is required, and a directive argument naming an
// exported binding still works after TypeScript rewrites it to `exports.LABEL`.
exports.LABEL = 'squares';
// @trace
function square(n) {
    let __tw$c0 = __tw$.context();
    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "square", undefined, { n });
    try {
        return __tw$.exit(__tw$c0, n * n);
    }
    catch (__tw$e) {
        throw __tw$.fail(__tw$c0, __tw$e);
    }
    __tw$.exit(__tw$c0, undefined);
}
function run(log) {
    const results = [];
    {
        let __tw$n0 = 0;
        // @trace({ name: LABEL })
        for (const n of [2, 3]) {
            const __tw$i0 = __tw$.iter("for (const n of [2, 3])", { name: exports.LABEL }, { n, iteration: __tw$n0++ });
            try {
                results.push(square(n));
            }
            catch (__tw$e) {
                __tw$i0.fail(__tw$e);
                throw __tw$e;
            }
            finally {
                __tw$i0.end();
            }
        }
    }
    log(typeof require);
    return results;
}
