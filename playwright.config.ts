/*
 * End-to-end tests of the demo portal in Debian's Chromium (no browser
 * download). The portal is started unless one is already running on :3000 and
 * :7007. With CI set, a missing Chromium fails the run.
 */
import { defineConfig } from '@playwright/test';
import { generateProjects } from '@backstage/e2e-test-utils/playwright';
import fs from 'node:fs';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!fs.existsSync(chromiumPath)) {
  const message = `Chromium not found at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
  if (process.env.CI) {
    throw new Error(message);
  }
  console.warn(`Skipping the end-to-end tests: ${message}`);
}

export default defineConfig({
  timeout: 120_000,

  expect: {
    timeout: 60_000,
  },

  webServer: [
    {
      command: 'yarn dev app',
      url: 'http://localhost:3000',
      reuseExistingServer: true,
      timeout: 300_000,
    },
    {
      command: 'yarn dev backend',
      url: 'http://localhost:7007/api/security-scorecards/health',
      reuseExistingServer: true,
      timeout: 300_000,
    },
  ],

  forbidOnly: !!process.env.CI,

  retries: process.env.CI ? 1 : 0,

  workers: 1,

  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],

  use: {
    actionTimeout: 0,
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
  },

  outputDir: 'node_modules/.cache/e2e-test-results',

  projects: fs.existsSync(chromiumPath) ? generateProjects() : [],
});
