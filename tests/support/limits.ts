// The one place where tests' patience is set. Tests wait for conditions, never for durations; these
// limits only say when to give up, sized for a shared machine several times slower than usual.
// Every wait inside a test is shorter than the test's own limit, so a failure names the condition.

/** Longest a test waits for one condition (a checkpoint, a restart, output committed). */
export const WAIT_LIMIT_MS = 90_000;

/**
 * Longest one test (or hook) runs: room for several waits in a row (the kill test has four), so a hung
 * test normally fails on the wait that names its condition, not on this generic limit.
 */
export const TEST_LIMIT_MS = 6 * WAIT_LIMIT_MS;

/** Longest a Playwright test runs end to end, page start-up and several waits included. */
export const E2E_TEST_LIMIT_MS = 8 * WAIT_LIMIT_MS;
