/** Config of the benchmark's floor runs (scripts/benchmark.ts); not part of the suite's runs. */
import { defineConfig } from '@playwright/test';
import type { EngineWorkerFixtures } from '../../tests/fixtures/fixtures.js';

export default defineConfig<unknown, EngineWorkerFixtures>({
  testDir: '.',
  testMatch: 'floor.spec.ts',
  fullyParallel: true,
  workers: Number(process.env.BENCH_WORKERS ?? 2),
  timeout: 30_000,
  outputDir: '../../test-results/bench-floor',
  reporter: 'json',
  projects: (['chromium', 'firefox', 'webkit'] as const).map((engineName) => ({ name: engineName, use: { engineName } })),
});
