/**
 * allure-playwright, adapted to this suite:
 * - it works under `npx playwright merge-reports`: Playwright configures reporters there before
 *   it adds the blobs' projects, and allure-playwright reads the first project's folders in
 *   onConfigure, throws, and the run counts an error. (Those folders only serve
 *   screenshot-comparison attachments, which this suite has none of.)
 * - tests the testRecord fixture did not label (browser-free checks, the WebKit driver's own
 *   tests, a browser test whose engine did not start) get epic/feature/story from their project,
 *   file and titles, so the report's tree has no loose ends.
 */
import type { FullConfig } from '@playwright/test';
import type { TestResult } from 'allure-js-commons';
import type { LifecycleListener } from 'allure-js-commons/sdk/reporter';
import { AllureReporter } from 'allure-playwright';
import { fallbackLabels } from './allure-labels.js';
import { ENGINE_PROJECTS } from './cors-matrix.js';

type Options = ConstructorParameters<typeof AllureReporter>[0];

const labelFallback: LifecycleListener = {
  beforeTestResultWrite(result: TestResult) {
    result.labels.push(...fallbackLabels(result.labels, result.name ?? '', ENGINE_PROJECTS));
  },
};

export default class AllurePlaywrightReporter extends AllureReporter {
  constructor(options: Options = {}) {
    super({ ...options, listeners: [...(options.listeners ?? []), labelFallback] });
  }

  override onConfigure(config: FullConfig): void {
    if (config.projects.length > 0) {
      super.onConfigure(config);
      return;
    }
    const placeholder = { outputDir: config.rootDir, snapshotDir: config.rootDir } as FullConfig['projects'][number];
    // The array itself stays the config's: the blobs' projects are pushed into it afterwards.
    config.projects.push(placeholder);
    super.onConfigure(config);
    config.projects.splice(config.projects.indexOf(placeholder), 1);
  }
}
