import { availableParallelism } from 'node:os';
import { defineConfig } from '@playwright/test';
import { enginePreference, resolveEngineKind } from './tests/framework/engines/launch.js';
import { reportMode, reporters } from './tests/framework/reporting/reporters.js';
import type { WorkerFixtures } from './tests/fixtures/fixtures.js';

// The WebKitGTK driver's own tests run wherever that driver is what runs WebKit.
const webKitGtkInUse = resolveEngineKind('webkit', enginePreference()) === 'system';

export default defineConfig<unknown, WorkerFixtures>({
  testDir: './tests',
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // In CI a failed test runs once more; a pass on retry is reported as flaky (HTML report, CORS
  // matrix), never hidden. Locally a failure stays a failure.
  retries: process.env.CI ? 1 : 0,
  // One worker per core this process may use (2 here); --workers overrides.
  workers: availableParallelism(),
  timeout: 30_000,
  outputDir: './test-results',
  // list (dot in CI) + HTML + Allure + CORS matrix; a blob per shard instead with --shard or CORS_BLOB=1.
  reporter: reporters(reportMode()),
  projects: [
    // Browser-free checks (reason catalog, servers over HTTP): run once, not per engine.
    { name: 'unit', testMatch: 'unit/**/*.spec.ts' },
    ...(['chromium', 'firefox', 'webkit'] as const).map((engineName) => ({
      name: engineName,
      // The scenarios, and the EnginePage contract every engine's driver is held to.
      testMatch: ['scenarios/**/*.spec.ts', 'engine-contract/engine-page.spec.ts'],
      use: { engineName },
    })),
    ...(webKitGtkInUse
      ? [{ name: 'webkitgtk-driver', testDir: './tests/engine-contract', testMatch: 'webkitgtk-driver.spec.ts', timeout: 60_000 }]
      : []),
  ],
});
