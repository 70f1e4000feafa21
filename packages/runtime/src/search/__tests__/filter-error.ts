import { expect } from 'vitest';
import { FilterSyntaxError } from '../errors.js';

/** The FilterSyntaxError `run` throws (fails the test if it throws something else, or nothing). */
export function filterSyntaxError(run: () => unknown): FilterSyntaxError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(FilterSyntaxError);
    return e as FilterSyntaxError;
  }
  throw new Error('expected a FilterSyntaxError, nothing was thrown');
}
