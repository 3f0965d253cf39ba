// Debian's Chromium for Playwright and Vitest browser mode: no browser download works on these
// machines (TOOLCHAIN.md); as root it needs --no-sandbox; background networking is off (closed network).
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
