/**
 * Which reporters a run uses, and where reports land (all under reports/). Used by
 * playwright.config.ts (a run, or one shard of it) and tests/framework/reporting/merge.config.ts
 * (`npx playwright merge-reports`), so both write the same reports the same way.
 *
 * - run:   progress (list; dot in CI), HTML, Allure results, CORS matrix.
 * - blob:  progress, a blob report per shard, CORS matrix (for the shard's closing line).
 *          Chosen by CORS_BLOB=1, or by --shard on the command line (CORS_BLOB=0 turns it off).
 * - merge: HTML, Allure results, CORS matrix, from the shards' blobs.
 * - list:  `--list` only prints the tests; no report is touched.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReporterDescription } from '@playwright/test';
import type { AllureResultsReporterOptions } from './allure-results-reporter.js';
import type { CorsMatrixReporterOptions } from './cors-matrix-reporter.js';

export type ReportMode = 'run' | 'blob' | 'merge' | 'list';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

const REPORT_PATHS = {
  reports: join(ROOT, 'reports'),
  html: join(ROOT, 'reports', 'playwright-html'),
  allureResults: join(ROOT, 'reports', 'allure-results'),
  blobs: join(ROOT, 'reports', 'blob-report'),
} as const;

/** The value of `--name=value` / `--name value` options on a command line (every occurrence). */
function cliValues(argv: readonly string[], name: string): string[] {
  const values: string[] = [];
  argv.forEach((arg, i) => {
    if (arg.startsWith(`${name}=`)) values.push(arg.slice(name.length + 1));
    else if (arg === name && argv[i + 1] !== undefined && !argv[i + 1]?.startsWith('-')) values.push(argv[i + 1] ?? '');
  });
  return values;
}

export function reportMode(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv): Exclude<ReportMode, 'merge'> {
  // Playwright runs the reporters for --list too: the HTML and Allure ones would replace the last run's reports.
  if (argv.includes('--list')) return 'list';
  if (env.CORS_BLOB === '0') return 'run';
  if (env.CORS_BLOB === '1' || env.CORS_BLOB === 'true') return 'blob';
  return cliValues(argv, '--shard').length > 0 ? 'blob' : 'run';
}

/**
 * The shard's blob file, named like Playwright's own (report-<projects>-<shard>.zip). Given as a
 * file rather than a folder: Playwright empties a blob *folder* first, which would delete the
 * other shards' blobs when shards run one after another on one machine.
 */
export function blobFileName(argv: readonly string[] = process.argv): string {
  const projects = cliValues(argv, '--project').flatMap((p) => p.split(','));
  const shard = cliValues(argv, '--shard')[0]?.replace('/', '-of-');
  const name = ['report', ...projects, ...(shard ? [shard] : [])].join('-').replace(/[^\w.-]+/g, '_');
  return `${name}.zip`;
}

const progress = (env: NodeJS.ProcessEnv): ReporterDescription => (env.CI ? ['dot'] : ['list']);

const allure = (): ReporterDescription[] => [
  // First: it empties the results folder before allure-playwright writes into it.
  [here('./allure-results-reporter.ts'), { resultsDir: REPORT_PATHS.allureResults } satisfies AllureResultsReporterOptions],
  // allure-playwright, fixed for merge-reports (see the module).
  [here('./allure-playwright-reporter.ts'), { resultsDir: REPORT_PATHS.allureResults }],
];

const matrix = (options: CorsMatrixReporterOptions = {}): ReporterDescription =>
  // Last: it prints the closing line, which must be the run's last.
  [here('./cors-matrix-reporter.ts'), { outputDir: REPORT_PATHS.reports, ...options } satisfies CorsMatrixReporterOptions];

export function reporters(
  mode: ReportMode,
  env: NodeJS.ProcessEnv = process.env,
  argv: readonly string[] = process.argv,
): ReporterDescription[] {
  const html: ReporterDescription = ['html', { outputFolder: REPORT_PATHS.html, open: 'never' }];
  switch (mode) {
    case 'run':
      return [progress(env), html, ...allure(), matrix()];
    case 'blob':
      // A shard's matrix is partial: it goes to the terminal, not to the job summary.
      return [progress(env), ['blob', { outputFile: join(REPORT_PATHS.blobs, blobFileName(argv)) }], matrix({ stepSummary: false })];
    case 'merge':
      return [html, ...allure(), matrix()];
    case 'list':
      return [['list']];
  }
}
