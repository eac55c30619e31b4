/**
 * The CORS matrix at a glance: scenarios as rows, engines as columns, each cell what the engine
 * let the page do (readable / blocked, with the reason code) or that the test failed. Built from
 * plain data (see the reporter for where it comes from); rendered by cors-matrix-text.ts
 * (Markdown, terminal) and cors-matrix-html.ts.
 */
import type { EngineInfo } from '../engines/engine.js';
import type { CorsCase, SiteNote } from './annotations.js';

type Outcome = 'expected' | 'unexpected' | 'flaky' | 'skipped';

/** One test in one project, as the reporter saw it. */
export interface MatrixEntry {
  project: string;
  /** The spec file (relative), then describe titles, then the test title. */
  scenario: readonly string[];
  outcome: Outcome;
  cases: readonly CorsCase[];
  /** First line of the error, when the test failed. */
  error?: string;
  engine?: EngineInfo;
  /** The test's topology and the engine's third-party-cookie policy. */
  site?: SiteNote;
}

export type CellState = 'readable' | 'blocked' | 'passed' | 'failed' | 'skipped';
export const CELL_STATES: readonly CellState[] = ['readable', 'blocked', 'passed', 'failed', 'skipped'];

export interface Cell {
  state: CellState;
  /** Reason codes observed (blocked cases, or what a failed test observed). */
  reasons: string[];
  /** What a failed test observed, e.g. "blocked"; empty when it reported no case. */
  observed: string[];
  flaky: boolean;
  error?: string;
  /** Whether the org's session cookie went with the call ("sent", "withheld"), where the scenario signed in. */
  cookie?: string;
}

export interface Row {
  file: string;
  /** Describe titles and test title, joined with " › ". */
  title: string;
  cells: Map<string, Cell>;
}

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
  flaky: number;
}

export interface Matrix {
  columns: string[];
  /** Per column: "156.0.8078.73 (playwright)", when the tests recorded it. */
  engines: Map<string, string>;
  /** Per column: the engine's third-party-cookie policy, e.g. "standard-etp: Enhanced Tracking Protection standard …". */
  policies: Map<string, string>;
  rows: Row[];
  /** Counts of every test run, matrix or not (unit checks too). */
  totals: Totals;
  /** Projects that are not engine columns (browser-free checks), with their counts. */
  others: Map<string, Totals>;
  /** Errors outside any test (global set-up, a crashed worker): they fail the run too. */
  errors: number;
}

export interface MatrixOptions {
  /** The engine projects, in column order; other projects (browser-free checks) are only counted. */
  columns?: readonly string[];
  errors?: number;
}

export const ENGINE_PROJECTS: readonly string[] = ['chromium', 'firefox', 'webkit'];

function cellOf(entry: MatrixEntry): Cell {
  const cookies = [...new Set(entry.cases.flatMap((c) => (c.cookie === undefined ? [] : [c.cookie])))];
  return { ...cellState(entry), ...(cookies.length > 0 ? { cookie: cookies.join('/') } : {}) };
}

function cellState(entry: MatrixEntry): Cell {
  const reasons = [...new Set(entry.cases.flatMap((c) => (c.reason === null ? [] : [c.reason])))];
  const observed = [...new Set(entry.cases.map((c) => c.outcome))];
  const flaky = entry.outcome === 'flaky';
  if (entry.outcome === 'skipped') return { state: 'skipped', reasons, observed, flaky };
  if (entry.outcome === 'unexpected') {
    return { state: 'failed', reasons, observed, flaky, ...(entry.error === undefined ? {} : { error: entry.error }) };
  }
  if (observed.length === 0) return { state: 'passed', reasons, observed, flaky };
  return { state: observed.includes('blocked') ? 'blocked' : 'readable', reasons, observed, flaky };
}

const emptyTotals = (): Totals => ({ passed: 0, failed: 0, skipped: 0, flaky: 0 });

function count(totals: Totals, outcome: Outcome): void {
  if (outcome === 'expected' || outcome === 'flaky') totals.passed++;
  if (outcome === 'flaky') totals.flaky++;
  if (outcome === 'unexpected') totals.failed++;
  if (outcome === 'skipped') totals.skipped++;
}

export function buildMatrix(entries: readonly MatrixEntry[], options: MatrixOptions = {}): Matrix {
  const order = options.columns ?? ENGINE_PROJECTS;
  const totals = emptyTotals();
  const others = new Map<string, Totals>();
  const rows = new Map<string, Row>();
  const engines = new Map<string, string>();
  const policies = new Map<string, string>();
  const seen: string[] = [];

  for (const entry of entries) {
    count(totals, entry.outcome);
    if (!order.includes(entry.project)) {
      const t = others.get(entry.project) ?? emptyTotals();
      count(t, entry.outcome);
      others.set(entry.project, t);
      continue;
    }
    if (!seen.includes(entry.project)) seen.push(entry.project);
    if (entry.engine && !engines.has(entry.project)) {
      engines.set(entry.project, [entry.engine.version, entry.engine.kind && `(${entry.engine.kind})`].filter(Boolean).join(' '));
    }
    const policy = entry.site?.cookiePolicy;
    if (policy && !policies.has(entry.project)) policies.set(entry.project, `${policy.id}: ${policy.label}`);
    const [file = '', ...rest] = entry.scenario;
    const title = rest.join(' › ');
    const key = `${file}\u0000${title}`;
    const row = rows.get(key) ?? { file, title, cells: new Map<string, Cell>() };
    row.cells.set(entry.project, cellOf(entry));
    rows.set(key, row);
  }
  const columns = order.filter((c) => seen.includes(c));
  return { columns, engines, policies, rows: [...rows.values()], totals, others, errors: options.errors ?? 0 };
}

/** What CI greps: "N passed, N failed" and ", N skipped" when any were. Errors outside tests count as failed. */
export function closingLine(matrix: Matrix): string {
  const { passed, failed, skipped } = matrix.totals;
  return `${passed} passed, ${failed + matrix.errors} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

export function failedCells(matrix: Matrix): { row: Row; column: string; cell: Cell }[] {
  return matrix.rows.flatMap((row) =>
    matrix.columns.flatMap((column) => {
      const cell = row.cells.get(column);
      return cell?.state === 'failed' ? [{ row, column, cell }] : [];
    }),
  );
}

export function columnCounts(matrix: Matrix, column: string): Record<CellState | 'not run', number> {
  const counts: Record<CellState | 'not run', number> = { readable: 0, blocked: 0, passed: 0, failed: 0, skipped: 0, 'not run': 0 };
  for (const row of matrix.rows) counts[row.cells.get(column)?.state ?? 'not run']++;
  return counts;
}

/** The cell in words, e.g. "blocked (missing-allow-origin)" or "failed (observed readable)". */
export function cellText(cell: Cell | undefined): string {
  if (cell === undefined) return 'not run';
  const reasons = cell.reasons.length > 0 ? ` (${cell.reasons.join(', ')})` : '';
  const flaky = cell.flaky ? ', flaky' : '';
  if (cell.state === 'failed') {
    const observed = cell.observed.length > 0 ? ` (observed ${cell.observed.join('/')}${cell.reasons.length > 0 ? `: ${cell.reasons.join(', ')}` : ''})` : '';
    return `failed${observed}`;
  }
  const cookie = cell.cookie === undefined ? '' : ` · cookie ${cell.cookie}`;
  if (cell.state === 'blocked' || cell.state === 'readable') return `${cell.state}${reasons}${cookie}${flaky}`;
  return `${cell.state}${flaky}`;
}

/** Whether the engines that ran a scenario observed different things (outcome or reason). */
export function enginesDiffer(row: Row, columns: readonly string[]): boolean {
  const seen = new Set(
    columns.flatMap((c) => {
      const cell = row.cells.get(c);
      return cell && cell.observed.length > 0 ? [`${cell.observed.join('/')} ${cell.reasons.join(',')} ${cell.cookie ?? ''}`] : [];
    }),
  );
  return seen.size > 1;
}

/** "51 scenarios × 3 engines, 0 failed cells". */
export function summaryLine(matrix: Matrix): string {
  const failures = failedCells(matrix).length;
  return `${matrix.rows.length} scenario${matrix.rows.length === 1 ? '' : 's'} × ${matrix.columns.length} engine${matrix.columns.length === 1 ? '' : 's'}, ${failures} failed cell${failures === 1 ? '' : 's'}`;
}

/** One project's counts in words: "12 passed, 0 failed" (", N skipped" when any were). */
export function totalsText(t: Totals): string {
  return `${t.passed} passed, ${t.failed} failed${t.skipped > 0 ? `, ${t.skipped} skipped` : ''}`;
}
