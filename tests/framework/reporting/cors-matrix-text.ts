/** The CORS matrix as text: Markdown (file and GitHub job summary) and the terminal summary. */
import { CELL_STATES, cellText, closingLine, columnCounts, enginesDiffer, failedCells, summaryLine, totalsText } from './cors-matrix.js';
import type { Cell, CellState, Matrix } from './cors-matrix.js';

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
      const policy = matrix.policies.get(c)?.split(':')[0];
      return [c, version, policy && `🍪 ${policy}`].filter(Boolean).map((t, i) => (i === 0 ? t : `<sub>${mdEscape(t ?? '')}</sub>`)).join('<br>');
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
  if (matrix.policies.size > 0) {
    lines.push(`Third-party-cookie policy in force: ${[...matrix.policies].map(([c, p]) => `**${c}** ${mdEscape(p)}`).join(' · ')}.`, '');
  }
  const failures = failedCells(matrix);
  if (failures.length > 0) {
    lines.push('### Failures', '');
    for (const { row, column, cell } of failures) {
      lines.push(`- **${column}** · ${mdEscape(row.file)} › ${mdEscape(row.title)}: ${mdEscape(cell.error ?? cellText(cell))}`);
    }
    lines.push('');
  }
  for (const [project, t] of matrix.others) lines.push(`Also run: ${project}: ${totalsText(t)}.`, '');
  if (matrix.errors > 0) lines.push(`**${matrix.errors} error${matrix.errors === 1 ? '' : 's'} outside tests**: see the run's output.`, '');
  lines.push('🔓 readable: the page could read the response · 🔒 blocked: the engine withheld it (reason code) · ✅ passed: no CORS case recorded · ❌ failed · ⏭️ skipped · · not run · ≠ the engines observed different things · cookie sent/withheld: whether the org session cookie went with the call');
  return lines.join('\n') + '\n';
}

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
    lines.push(`  ${project}: ${totalsText(t)}`);
  }
  if (matrix.errors > 0) lines.push(`  ${matrix.errors} error${matrix.errors === 1 ? '' : 's'} outside tests (see above)`);
  return lines.join('\n');
}
