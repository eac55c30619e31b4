/**
 * Playwright reporter that keeps reports/allure-results to one run, and describes that run:
 * - on begin, empties the results folder (allure-playwright only adds files, so results of
 *   earlier runs would show up as retries; history lives in the history file, see allurerc.mjs);
 * - on end, writes environment.properties: each engine really used (from the tests' `engine`
 *   annotations, so it holds on merged blob reports too), Node, OS, Playwright, CORS_ENGINES.
 * List it before allure-playwright, with the same results folder.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, release, type } from 'node:os';
import { join, resolve } from 'node:path';
import type { FullResult, Reporter, Suite } from '@playwright/test/reporter';
import type { FullConfig } from '@playwright/test';
import { stringifyEnvInfo } from 'allure-js-commons/sdk/reporter';
import { readEngine } from './annotations.js';

export interface AllureResultsReporterOptions {
  resultsDir?: string;
  /** Keep what is in the folder (when several runs write into one folder on purpose). */
  keep?: boolean;
  /** Set by Playwright: 'test', 'merge' or 'list' (`--list` runs reporters too: leave the results alone). */
  _mode?: string;
}

function playwrightVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (require('@playwright/test/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function environmentInfo(suite: Suite | undefined, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const info: Record<string, string> = {};
  for (const test of suite?.allTests() ?? []) {
    const result = test.results.at(-1);
    const engine = readEngine(result?.annotations.length ? result.annotations : test.annotations);
    if (engine === undefined) continue;
    const key = `Engine ${engine.name}`;
    const value = `${engine.version} (${engine.kind}): ${engine.description}`;
    // One engine per project normally; list each distinct build if a run mixed them.
    const known = info[key];
    if (known === undefined) info[key] = value;
    else if (!known.split(' | ').includes(value)) info[key] = `${known} | ${value}`;
  }
  info['Node.js'] = process.version;
  info['OS'] = `${type()} ${release()} (${arch()})`;
  info['Playwright'] = playwrightVersion();
  info['CORS_ENGINES'] = env.CORS_ENGINES || 'auto';
  if (env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY) {
    info['CI run'] = `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
  }
  return info;
}

export default class AllureResultsReporter implements Reporter {
  private suite: Suite | undefined;
  private readonly resultsDir: string;

  constructor(private readonly options: AllureResultsReporterOptions = {}) {
    this.resultsDir = resolve(options.resultsDir ?? 'allure-results');
  }

  printsToStdio(): boolean {
    return false;
  }

  onBegin(_config: FullConfig, suite: Suite): void {
    this.suite = suite;
    if (this.options._mode === 'list') return;
    if (!this.options.keep) rmSync(this.resultsDir, { recursive: true, force: true });
    mkdirSync(this.resultsDir, { recursive: true });
  }

  onEnd(_result: FullResult): void {
    if (this.options._mode === 'list') return;
    mkdirSync(this.resultsDir, { recursive: true });
    writeFileSync(join(this.resultsDir, 'environment.properties'), `${stringifyEnvInfo(environmentInfo(this.suite))}\n`);
  }
}
