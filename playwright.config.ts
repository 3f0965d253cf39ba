import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './tests/chromium.ts';
import { E2E_TEST_LIMIT_MS, WAIT_LIMIT_MS } from './tests/support/limits.ts';

/** End-to-end tests of the built page in Debian's headless Chromium (no browser download here). */
/** E2E_PORT lets two checkouts (or a developer's dev server) run the suite side by side. */
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  // Limits, not expectations (tests/support/limits.ts): assertions wait for conditions up to WAIT_LIMIT_MS.
  timeout: E2E_TEST_LIMIT_MS,
  expect: { timeout: WAIT_LIMIT_MS },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: chromiumLaunchOptions,
    viewport: { width: 1280, height: 900 },
  },
  webServer: {
    // A build directory per port, so two runs side by side never serve each other's half-written build.
    command: `npx vite build --outDir .e2e-dist/${port} && npx vite preview --outDir .e2e-dist/${port} --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: E2E_TEST_LIMIT_MS,
  },
});
