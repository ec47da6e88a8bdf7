/** The one error the calendar throws for bad input, naming the argument so the API can point at the query field. */
export class CalendarInputError extends Error {
  constructor(
    readonly argument: string,
    readonly problem: string,
  ) {
    super(`${argument}: ${problem}`);
    this.name = 'CalendarInputError';
  }
}
