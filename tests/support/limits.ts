// The one place where tests' patience is set. Tests wait for conditions, never for durations; these
// limits only say when to give up, sized for a shared machine several times slower than usual.
// Every wait inside a test is shorter than the test's own limit, so a failure names the condition.

/** Longest a test waits for one condition (a checkpoint, a restart, output committed). */
export const WAIT_LIMIT_MS = 90_000;

/** Longest one test (or hook) runs: larger than any single wait, with room for a few of them. */
export const TEST_LIMIT_MS = 240_000;

/** Longest a Playwright test runs end to end, page start-up and several waits included. */
export const E2E_TEST_LIMIT_MS = 300_000;
