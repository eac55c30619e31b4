import { defineConfig } from '@playwright/test';
import type { WorkerFixtures } from './tests/support/fixtures.js';

export default defineConfig<unknown, WorkerFixtures>({
  testDir: './tests',
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  timeout: 30_000,
  outputDir: './test-results',
  reporter: [['list'], ['html', { outputFolder: 'reports/playwright-html', open: 'never' }]],
  projects: [
    { name: 'chromium', testIgnore: '**/engines/**', use: { engineName: 'chromium' } },
    { name: 'firefox', testIgnore: '**/engines/**', use: { engineName: 'firefox' } },
    { name: 'webkit', testIgnore: '**/engines/**', use: { engineName: 'webkit' } },
  ],
});
