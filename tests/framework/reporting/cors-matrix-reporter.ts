/**
 * Playwright reporter: writes the CORS matrix (reports/cors-matrix.html and .md), appends the
 * Markdown to the GitHub job summary when there is one, prints a compact summary, and ends the
 * output with the plain line CI greps: "N passed, N failed[, N skipped]".
 *
 * It reads only what the reporter API carries (titles, project names, results, annotations), so
 * it gives the same matrix on a live run and on `npx playwright merge-reports`.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestError } from '@playwright/test/reporter';
import { readCorsCases, readEngine, readSite } from './annotations.js';
import { buildMatrix, closingLine, type Matrix, type MatrixEntry } from './cors-matrix.js';
import { renderHtml } from './cors-matrix-html.js';
import { renderMarkdown, renderTerminal } from './cors-matrix-text.js';

export interface CorsMatrixReporterOptions {
  /** Where cors-matrix.html and cors-matrix.md go (default: ./reports). */
  outputDir?: string;
  /** The engine projects, in column order (default chromium, firefox, webkit); others are only counted. */
  columns?: string[];
  /** Append the Markdown to $GITHUB_STEP_SUMMARY when set (default: true). */
  stepSummary?: boolean;
  /** Set by Playwright: 'test', 'merge' or 'list' (`--list` runs reporters too; nothing to report then). */
  _mode?: string;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** The first lines of an error, on one line: for expect() they name the check, expected and received. */
function firstLines(text: string | undefined, count = 3): string | undefined {
  // "expect(received).toBe(expected) // Object.is equality" says nothing the other lines don't.
  const lines = (text ?? '').replace(ANSI, '').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('expect('));
  return lines.length === 0 ? undefined : lines.slice(0, count).join(' — ');
}

export function entryOf(test: TestCase): MatrixEntry {
  const result = test.results.at(-1);
  // Annotations pushed while the test ran (engine, cors-case) are on the result; static ones on both.
  const annotations = result?.annotations.length ? result.annotations : test.annotations;
  const [, project = '', ...scenario] = test.titlePath();
  const error = firstLines(result?.error?.message ?? result?.errors[0]?.message);
  const engine = readEngine(annotations);
  const site = readSite(annotations);
  return {
    project: test.parent.project()?.name ?? project,
    scenario,
    outcome: test.outcome(),
    cases: readCorsCases(annotations),
    ...(error === undefined ? {} : { error }),
    ...(engine === undefined ? {} : { engine }),
    ...(site === undefined ? {} : { site }),
  };
}

export default class CorsMatrixReporter implements Reporter {
  private suite: Suite | undefined;
  private readonly errors: string[] = [];
  private matrix: Matrix | undefined;
  private readonly outputDir: string;

  constructor(private readonly options: CorsMatrixReporterOptions = {}) {
    this.outputDir = resolve(options.outputDir ?? 'reports');
  }

  printsToStdio(): boolean {
    return true;
  }

  onBegin(_config: FullConfig, suite: Suite): void {
    this.suite = suite;
  }

  onError(error: TestError): void {
    this.errors.push(firstLines(error.message ?? error.value, 1) ?? 'unknown error');
  }

  onEnd(_result: FullResult): void {
    if (this.options._mode === 'list') return;
    const entries = (this.suite?.allTests() ?? []).map(entryOf);
    const matrix = buildMatrix(entries, { ...(this.options.columns ? { columns: this.options.columns } : {}), errors: this.errors.length });
    this.matrix = matrix;
    const markdown = renderMarkdown(matrix);
    const htmlFile = join(this.outputDir, 'cors-matrix.html');
    try {
      mkdirSync(this.outputDir, { recursive: true });
      writeFileSync(htmlFile, renderHtml(matrix));
      writeFileSync(join(this.outputDir, 'cors-matrix.md'), markdown);
      const summary = process.env.GITHUB_STEP_SUMMARY;
      if (summary && (this.options.stepSummary ?? true)) appendFileSync(summary, markdown);
    } catch (error) {
      process.stdout.write(`cors-matrix: could not write the matrix: ${String(error)}\n`);
    }
    // Merged runs have no progress reporter to show errors outside tests: name them here.
    const errors = this.errors.slice(0, 5).map((e) => `  error: ${e}\n`).join('');
    process.stdout.write(`\n${renderTerminal(matrix, relative(process.cwd(), htmlFile) || htmlFile)}\n${errors}`);
  }

  // The closing line waits for onExit: the HTML reporter prints its "show-report" hint there,
  // and this reporter is listed after it, so the line stays the last one printed.
  async onExit(): Promise<void> {
    if (this.matrix) process.stdout.write(`${closingLine(this.matrix)}\n`);
  }
}
