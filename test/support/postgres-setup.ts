import { dropRunDatabases } from './postgres';

/** Global setup of the PostgreSQL project: one name prefix for the run's databases, all dropped at the end. */
export default function setup(): () => Promise<void> {
  const prefix = `seatlock_test_${Date.now()}`;
  process.env.SEATLOCK_TEST_RUN_PREFIX = prefix;
  return async () => {
    await dropRunDatabases(prefix);
  };
}
