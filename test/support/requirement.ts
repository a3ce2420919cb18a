/** True when the tests run in CI, where every optional environment below is required. */
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * For a test that needs something this machine may lack (another Node binary, emulated
 * userlands): returns `value` when present; otherwise fails in CI and, elsewhere, prints why the
 * test is skipped and how to run it, and returns undefined.
 */
export function requiredInCi<T>(value: T | undefined, what: string, howToGet: string): T | undefined {
  if (value !== undefined) return value;
  const notice = `${what} is not available: ${howToGet}`;
  if (IN_CI) throw new Error(`${notice} (required in CI)`);
  console.warn(`\n*** SKIPPED: ${notice} ***\n`);
  return undefined;
}
