/**
 * Child process: what code rewritten from `// @trace` comments does. It imports only the inject
 * entry (never the package entry) and traces a call while this module is evaluated.
 */
import * as __tw$ from '../inject.js';

function greet(name: string): string {
  return __tw$.fn('greet', undefined, { name }, () => 'hello ' + name);
}

greet('top-level');
