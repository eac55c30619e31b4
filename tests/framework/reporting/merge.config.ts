/**
 * Config for merging shards' blob reports into the same reports a whole run writes:
 *   npx playwright merge-reports --config tests/framework/reporting/merge.config.ts reports/blob-report
 * (`npm run report:merge`). testDir is the suite's, so file paths read as in a local run.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { reporters } from './reporters.js';

const testDir = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  testDir,
  reporter: reporters('merge'),
  // Never run: merging takes the projects from the blobs. allure-playwright reads the first
  // project's folders when it starts and fails on a config without any.
  projects: [{ name: 'merged', testDir }],
});
