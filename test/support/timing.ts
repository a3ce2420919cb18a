/**
 * Time budgets for tests, from measured work rather than guesses, sized for a two-core machine
 * that is busy with something else: a test may be slow there, it must not fail.
 *
 * One start of the compiled server on a fresh data directory (loading, migrations, the first
 * keys) took 4 s on an idle two-core machine and 10 to 12 s with six test runs sharing it
 * (load average 8, 2026-12-03). The budget is that loaded figure with room to spare; a test's or
 * a hook's timeout is this times the servers it starts, with the same again for its own work.
 */
export const SERVER_START_MS = 20_000;

/** A test or hook that starts at most one server and does a server start's worth of work besides. */
export const ONE_SERVER_MS = 3 * SERVER_START_MS;

/**
 * How long expect.poll waits for a page or a server to show what a test waits for: a browser
 * round trip through the server, which took up to a few seconds with the machine loaded.
 */
export const POLL_MS = 15_000;
