/**
 * Exit codes (sysexits-style where one fits): 0 ok, 1 not found, 2 usage / bad input (a filter
 * beyond the search limits included), 3 store or server unreachable, or a search over its time
 * budget, 70 internal error.
 */
export const ExitCode = { OK: 0, NOT_FOUND: 1, USAGE: 2, UNAVAILABLE: 3, INTERNAL: 70 } as const;

/** An error whose message is shown to the user as is (no stack) with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.USAGE,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
