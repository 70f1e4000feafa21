/** A pattern RE2 rejects: `offset` is the 0-based index of `fragment` in the pattern. */
export class RegexSyntaxProblem extends Error {
  constructor(
    readonly reason: string,
    readonly offset: number,
    readonly fragment: string,
  ) {
    super(reason);
    this.name = 'RegexSyntaxProblem';
  }
}
