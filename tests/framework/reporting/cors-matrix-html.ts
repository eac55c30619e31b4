/** The CORS matrix as one self-contained HTML page (reports/cors-matrix.html). */
import { cellText, closingLine, columnCounts, enginesDiffer, failedCells, summaryLine, totalsText } from './cors-matrix.js';
import type { Cell, Matrix } from './cors-matrix.js';

const STYLE = `
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
  .cell .cookie { display: block; font-size: 11px; color: #57606a; }
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
`;

const LEGEND = `<p class="legend"><span class="readable">readable</span>the page could read the response
<span class="blocked">blocked</span>the engine withheld it (reason code below)
<span class="passed">passed</span>no CORS case recorded
<span class="failed">failed</span>the test failed (hover for the error)
<span class="skipped">skipped</span><span class="not-run">not run</span>
<span class="differs">engines differ</span>the engines observed different outcomes or reasons
<span class="cookie">cookie sent/withheld</span>whether the org's session cookie went with the call (cookie policy under each engine)</p>`;

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
  const cookie = cell?.cookie ? `<span class="cookie">cookie ${html(cell.cookie)}</span>` : '';
  return `<td class="cell ${state}"${title}><span class="state">${main}</span>${observed}${reasons}${cookie}${flaky}</td>`;
}

function tableBody(matrix: Matrix): string {
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
  body.push(`<tr class="counts"><th scope="row">failed cells</th>${matrix.columns.map((c) => `<td>${columnCounts(matrix, c).failed}</td>`).join('')}</tr>`);
  return body.join('\n');
}

/** The failures list, the other projects' counts and the errors outside tests. */
function afterTable(matrix: Matrix): string {
  const failures = failedCells(matrix);
  const failureList =
    failures.length === 0
      ? ''
      : `<h2>Failures (${failures.length})</h2><ol class="failures">${failures
          .map(({ row, column, cell }) => `<li><b>${html(column)}</b> · ${html(row.file)} › ${html(row.title)}<pre>${html(cell.error ?? cellText(cell))}</pre></li>`)
          .join('')}</ol>`;
  const others = [...matrix.others].map(([p, t]) => `<p class="others">Also run: <b>${html(p)}</b>: ${html(totalsText(t))}.</p>`).join('');
  const errors = matrix.errors > 0 ? `<p class="errors">${matrix.errors} error(s) outside tests: see the run's output.</p>` : '';
  return `${failureList}\n${others}\n${errors}`;
}

export function renderHtml(matrix: Matrix, generatedAt: Date = new Date()): string {
  const head = matrix.columns
    .map((c) => {
      const policy = matrix.policies.get(c);
      const small = (text: string | undefined, title?: string) => (text ? `<small${title ? ` title="${html(title)}"` : ''}>${html(text)}</small>` : '');
      return `<th scope="col">${html(c)}${small(matrix.engines.get(c))}${small(policy && `cookies: ${policy.split(':')[0] ?? ''}`, policy)}</th>`;
    })
    .join('');
  const status = matrix.totals.failed + matrix.errors > 0 ? 'bad' : 'good';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CORS matrix: ${html(closingLine(matrix))}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>CORS matrix</h1>
<p class="summary"><b class="${status}">${html(closingLine(matrix))}</b> · ${html(summaryLine(matrix))} · generated ${html(generatedAt.toISOString())}</p>
<table>
<thead><tr><th scope="col">Scenario</th>${head}</tr></thead>
<tbody>
${tableBody(matrix)}
</tbody>
</table>
${LEGEND}
${afterTable(matrix)}
</body>
</html>
`;
}
