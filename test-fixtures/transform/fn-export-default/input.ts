// @trace
export default function (text: string) {
  return text.split(' ').length;
}

// @trace
export function run(log: (x: unknown) => void) {
  log('start');
  return countWords('a b c');
}
import countWords from './fn-export-default.js';
