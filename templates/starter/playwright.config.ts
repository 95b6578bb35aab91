/**
 * The browser learning test (test/page.spec.ts): `npm run test:page`. It builds the game and
 * serves it with `vite preview` on 127.0.0.1, started and stopped by the run.
 *
 * Browsers: Playwright's own (`npx playwright install chromium`, once), or a Chromium you have:
 * `CHROMIUM_PATH=/usr/bin/chromium npm run test:page`.
 */
import { defineConfig } from '@playwright/test';

const port = Number(process.env.PORT ?? 4180);

export default defineConfig({
  testDir: 'test',
  testMatch: '*.spec.ts',
  // A safety net: the test's own limit is a budget of transitions (expectLearning's maxSteps).
  timeout: 10 * 60_000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: process.env.CHROMIUM_PATH ? { executablePath: process.env.CHROMIUM_PATH } : {},
  },
  webServer: {
    command: `vite build --logLevel warn && vite preview --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 5 * 60_000,
    stdout: 'ignore',
  },
});
