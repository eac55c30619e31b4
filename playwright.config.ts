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
    // Browser-free checks (reason catalog, servers over HTTP): run once, not per engine.
    { name: 'unit', testMatch: '**/*.unit.spec.ts' },
    ...(['chromium', 'firefox', 'webkit'] as const).map((engineName) => ({
      name: engineName,
      testMatch: 'scenarios/**/*.spec.ts',
      use: { engineName },
    })),
  ],
});
