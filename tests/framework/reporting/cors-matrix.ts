/**
 * The CORS matrix at a glance: scenarios as rows, engines as columns, each cell what the engine
 * let the page do (readable / blocked, with the reason code) or that the test failed. Built from
 * plain data (see the reporter for where it comes from) and rendered as Markdown, HTML and a
 * compact terminal summary.
 */
import type { EngineInfo } from '../engines/engine.js';
import type { CorsCase } from './annotations.js';

export type Outcome = 'expected' | 'unexpected' | 'flaky' | 'skipped';

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
    const [file = '', ...rest] = entry.scenario;
    const title = rest.join(' › ');
    const key = `${file}\u0000${title}`;
    const row = rows.get(key) ?? { file, title, cells: new Map<string, Cell>() };
    row.cells.set(entry.project, cellOf(entry));
    rows.set(key, row);
  }
  const columns = order.filter((c) => seen.includes(c));
  return { columns, engines, rows: [...rows.values()], totals, others, errors: options.errors ?? 0 };
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
  if (cell.state === 'blocked') return `blocked${reasons}${flaky}`;
  return `${cell.state}${flaky}`;
}

/** Whether the engines that ran a scenario observed different things (outcome or reason). */
export function enginesDiffer(row: Row, columns: readonly string[]): boolean {
  const seen = new Set(
    columns.flatMap((c) => {
      const cell = row.cells.get(c);
      return cell && cell.observed.length > 0 ? [`${cell.observed.join('/')} ${cell.reasons.join(',')}`] : [];
    }),
  );
  return seen.size > 1;
}

function summaryLine(matrix: Matrix): string {
  const failures = failedCells(matrix).length;
  return `${matrix.rows.length} scenario${matrix.rows.length === 1 ? '' : 's'} × ${matrix.columns.length} engine${matrix.columns.length === 1 ? '' : 's'}, ${failures} failed cell${failures === 1 ? '' : 's'}`;
}

// ---------------------------------------------------------------- Markdown (file, job summary)

const MD_ICON: Record<CellState | 'not run', string> = {
  readable: '🔓',
  blocked: '🔒',
  passed: '✅',
  failed: '❌',
  skipped: '⏭️',
  'not run': '·',
};

const mdEscape = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function mdCell(cell: Cell | undefined): string {
  const icon = MD_ICON[cell?.state ?? 'not run'];
  const text = mdEscape(cellText(cell));
  return cell?.state === 'failed' ? `${icon} **${text}**` : `${icon} ${text}`;
}

export function renderMarkdown(matrix: Matrix): string {
  const lines = [`## CORS matrix: ${closingLine(matrix)}`, '', summaryLine(matrix) + '.', ''];
  if (matrix.columns.length > 0) {
    const header = matrix.columns.map((c) => {
      const version = matrix.engines.get(c);
      return version ? `${c}<br><sub>${mdEscape(version)}</sub>` : c;
    });
    lines.push(`| Scenario | ${header.join(' | ')} |`, `|---|${matrix.columns.map(() => '---').join('|')}|`);
    let file: string | undefined;
    for (const row of matrix.rows) {
      if (row.file !== file) {
        file = row.file;
        lines.push(`| **${mdEscape(file)}** |${matrix.columns.map(() => ' ').join('|')}|`);
      }
      const differs = enginesDiffer(row, matrix.columns) ? ' ≠' : '';
      lines.push(`| ${mdEscape(row.title)}${differs} | ${matrix.columns.map((c) => mdCell(row.cells.get(c))).join(' | ')} |`);
    }
    lines.push('');
  }
  const failures = failedCells(matrix);
  if (failures.length > 0) {
    lines.push('### Failures', '');
    for (const { row, column, cell } of failures) {
      lines.push(`- **${column}** · ${mdEscape(row.file)} › ${mdEscape(row.title)}: ${mdEscape(cell.error ?? cellText(cell))}`);
    }
    lines.push('');
  }
  for (const [project, t] of matrix.others) lines.push(`Also run: ${project}: ${t.passed} passed, ${t.failed} failed${t.skipped > 0 ? `, ${t.skipped} skipped` : ''}.`, '');
  if (matrix.errors > 0) lines.push(`**${matrix.errors} error${matrix.errors === 1 ? '' : 's'} outside tests**: see the run's output.`, '');
  lines.push('🔓 readable: the page could read the response · 🔒 blocked: the engine withheld it (reason code) · ✅ passed: no CORS case recorded · ❌ failed · ⏭️ skipped · · not run · ≠ the engines observed different things');
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------- HTML (reports/cors-matrix.html)

const html = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function htmlCell(cell: Cell | undefined): string {
  const state = cell?.state ?? 'not-run';
  const title = cell?.error ? ` title="${html(cell.error)}"` : '';
  const main = cell === undefined ? 'not run' : cell.state;
  const reasons = cell && cell.reasons.length > 0 ? `<span class="reason">${cell.reasons.map(html).join('<br>')}</span>` : '';
  const observed =
    cell?.state === 'failed' && cell.observed.length > 0 ? `<span class="observed">observed ${html(cell.observed.join('/'))}</span>` : '';
  const flaky = cell?.flaky ? '<span class="flaky">flaky</span>' : '';
  return `<td class="cell ${state}"${title}><span class="state">${main}</span>${observed}${reasons}${flaky}</td>`;
}

export function renderHtml(matrix: Matrix, generatedAt: Date = new Date()): string {
  const failures = failedCells(matrix);
  const head = matrix.columns
    .map((c) => `<th scope="col">${html(c)}${matrix.engines.get(c) ? `<small>${html(matrix.engines.get(c) ?? '')}</small>` : ''}</th>`)
    .join('');
  const body: string[] = [];
  let file: string | undefined;
  for (const row of matrix.rows) {
    if (row.file !== file) {
      file = row.file;
      body.push(`<tr class="group"><th colspan="${matrix.columns.length + 1}" scope="rowgroup">${html(file)}</th></tr>`);
    }
    const badge = enginesDiffer(row, matrix.columns) ? '<span class="differs" title="the engines did not all observe the same">engines differ</span>' : '';
    body.push(`<tr><th scope="row">${html(row.title)}${badge}</th>${matrix.columns.map((c) => htmlCell(row.cells.get(c))).join('')}</tr>`);
  }
  const countsRow = `<tr class="counts"><th scope="row">failed cells</th>${matrix.columns
    .map((c) => `<td>${columnCounts(matrix, c).failed}</td>`)
    .join('')}</tr>`;
  const failureList =
    failures.length === 0
      ? ''
      : `<h2>Failures (${failures.length})</h2><ol class="failures">${failures
          .map(({ row, column, cell }) => `<li><b>${html(column)}</b> · ${html(row.file)} › ${html(row.title)}<pre>${html(cell.error ?? cellText(cell))}</pre></li>`)
          .join('')}</ol>`;
  const others = [...matrix.others]
    .map(([p, t]) => `<p class="others">Also run: <b>${html(p)}</b>: ${t.passed} passed, ${t.failed} failed${t.skipped > 0 ? `, ${t.skipped} skipped` : ''}.</p>`)
    .join('');
  const errors = matrix.errors > 0 ? `<p class="errors">${matrix.errors} error(s) outside tests: see the run's output.</p>` : '';
  const status = matrix.totals.failed + matrix.errors > 0 ? 'bad' : 'good';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CORS matrix: ${html(closingLine(matrix))}</title>
<style>
  :root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; }
  body { margin: 24px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  .summary { font-size: 15px; margin: 0 0 16px; }
  .summary b.good { color: #1a7f37; } .summary b.bad { color: #cf222e; }
  table { border-collapse: collapse; font-size: 13px; }
  th, td { border: 1px solid #d0d7de; padding: 6px 10px; vertical-align: middle; }
  thead th { position: sticky; top: 0; background: #f6f8fa; text-align: center; min-width: 150px; }
  thead th small { display: block; font-weight: normal; color: #57606a; }
  tbody th[scope=row] { text-align: left; font-weight: normal; max-width: 560px; }
  tr.group th { background: #eaeef2; text-align: left; font-family: ui-monospace, monospace; }
  .cell { text-align: center; }
  .cell .state { font-weight: 600; display: block; }
  .cell .reason, .cell .observed, .cell .flaky { display: block; font-family: ui-monospace, monospace; font-size: 12px; white-space: nowrap; }
  .differs { display: inline-block; margin-left: 6px; padding: 0 6px; border-radius: 8px; background: #ddf4ff; color: #0969da; font-size: 11px; }
  .readable { background: #dafbe1; } .readable .state { color: #1a7f37; }
  .blocked { background: #fff1e5; } .blocked .state { color: #9a6700; }
  .passed { background: #eef6ee; } .passed .state { color: #1a7f37; }
  .failed { background: #ffebe9; } .failed .state { color: #cf222e; }
  .skipped, .not-run { background: #f6f8fa; color: #8c959f; }
  .flaky { color: #8250df; }
  tr.counts td { text-align: center; font-weight: 600; }
  .legend { margin-top: 12px; font-size: 13px; color: #57606a; }
  .legend span { display: inline-block; padding: 1px 8px; margin-right: 6px; border: 1px solid #d0d7de; }
  .failures pre { white-space: pre-wrap; margin: 4px 0 10px; font-size: 12px; }
</style>
</head>
<body>
<h1>CORS matrix</h1>
<p class="summary"><b class="${status}">${html(closingLine(matrix))}</b> · ${html(summaryLine(matrix))} · generated ${html(generatedAt.toISOString())}</p>
<table>
<thead><tr><th scope="col">Scenario</th>${head}</tr></thead>
<tbody>
${body.join('\n')}
${countsRow}
</tbody>
</table>
<p class="legend"><span class="readable">readable</span>the page could read the response
<span class="blocked">blocked</span>the engine withheld it (reason code below)
<span class="passed">passed</span>no CORS case recorded
<span class="failed">failed</span>the test failed (hover for the error)
<span class="skipped">skipped</span><span class="not-run">not run</span>
<span class="differs">engines differ</span>the engines observed different outcomes or reasons</p>
${failureList}
${others}
${errors}
</body>
</html>
`;
}

// ---------------------------------------------------------------- terminal (end of the run)

const clip = (text: string, width: number) => (text.length <= width ? text : `${text.slice(0, width - 1)}…`);

/** A few lines: per-engine counts, then each failed cell on one line. */
export function renderTerminal(matrix: Matrix, where?: string): string {
  const lines = [`CORS matrix: ${summaryLine(matrix)}${where ? ` → ${where}` : ''}`];
  if (matrix.columns.length > 0) {
    const width = Math.max(10, ...matrix.columns.map((c) => c.length + 2));
    const states: (CellState | 'not run')[] = [...CELL_STATES, 'not run'];
    const counts = matrix.columns.map((c) => columnCounts(matrix, c));
    lines.push(`  ${''.padEnd(10)}${matrix.columns.map((c) => c.padStart(width)).join('')}`);
    for (const state of states) {
      if (state !== 'failed' && counts.every((c) => c[state] === 0)) continue;
      lines.push(`  ${state.padEnd(10)}${counts.map((c) => String(c[state]).padStart(width)).join('')}`);
    }
  }
  const failures = failedCells(matrix);
  if (failures.length > 0) {
    lines.push('  failed:');
    for (const { row, column, cell } of failures) {
      lines.push(`    ${column.padEnd(9)} ${clip(`${row.file} › ${row.title}`, 100)}  ${clip(cell.error ?? cellText(cell), 80)}`);
    }
  }
  for (const [project, t] of matrix.others) {
    lines.push(`  ${project}: ${t.passed} passed, ${t.failed} failed${t.skipped > 0 ? `, ${t.skipped} skipped` : ''}`);
  }
  if (matrix.errors > 0) lines.push(`  ${matrix.errors} error${matrix.errors === 1 ? '' : 's'} outside tests (see above)`);
  return lines.join('\n');
}
