import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 4173);
const siteDir = `build/site-${port}`;

export default defineConfig({
  testDir: 'e2e',
  // Safety nets only. Every wait in the specs is a budget of the page's own progress (game ticks,
  // decisions, transitions: e2e/helpers.ts `waitFor`), so a loaded machine makes a test slower, not
  // red; these catch a page that stops progressing at all, and a DOM answer that never comes.
  timeout: 15 * 60_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      // Debian's Chromium; Playwright never downloads a browser here.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync',
        // WebGL2 on SwiftShader, so the webgl learner backend is exercised too.
        '--use-angle=swiftshader', '--ignore-gpu-blocklist', '--enable-unsafe-swiftshader',
      ],
    },
    screenshot: 'only-on-failure',
  },
  // The production build, served by vite preview on loopback, started and stopped by the test run.
  webServer: {
    command: `SITE_OUT_DIR=${siteDir} npx vite build --logLevel warn && SITE_OUT_DIR=${siteDir} npx vite preview --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    // The build and the server's start, on a loaded machine.
    timeout: 15 * 60_000,
    stdout: 'ignore',
  },
});
