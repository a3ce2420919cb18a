import { SeatlockError } from '@seatlock/shared';

/** The value, or NOT_FOUND naming what was looked for. */
export function foundOrFail<T>(value: T | null | undefined, what: string, id: string): T {
  if (value === null || value === undefined) throw new SeatlockError('NOT_FOUND', `No ${what} with id ${id}.`);
  return value;
}
