/**
 * Renders what the API servers saw during one test as Markdown, for a person reading the
 * report: each request (preflights included) with its Origin, the CORS request headers and
 * the CORS headers answered. The JSON attachment keeps the same data for machines.
 */
import type { Exchange } from '../../../servers/okta-api/exchange-log.js';

/** One API server's log for the test. */
export interface ApiLog {
  /** The API's origin, e.g. "http://127.0.0.1:5102". */
  api: string;
  /** Which server set it is, when a test can use more than one. */
  label: string;
  entries: Exchange[];
}

/** The JSON attachment's rows: each exchange with the full URL it was sent to. */
export type ExchangeRecord = Exchange & { api: string; fullUrl: string };

export function exchangeRecords(logs: readonly ApiLog[]): ExchangeRecord[] {
  return logs
    .flatMap((log) => log.entries.map((e) => ({ ...e, api: log.api, fullUrl: `${log.api}${e.url}` })))
    .sort((a, b) => a.at.localeCompare(b.at));
}

const bullet = (name: string, value: string) => `  - \`${name}: ${value}\``;

function headerLines(headers: Record<string, string>, skip: readonly string[] = []): string[] {
  const names = Object.keys(headers).filter((n) => !skip.includes(n)).sort();
  return names.map((n) => bullet(n, headers[n] ?? ''));
}

function renderExchange(index: number, e: ExchangeRecord): string[] {
  const kind = e.preflight ? 'preflight' : e.method === 'OPTIONS' ? 'OPTIONS (not a preflight)' : 'request';
  const lines = [
    `### ${index}. ${e.method} ${e.url} (${kind}) → ${e.status}`,
    '',
    `- URL: ${e.fullUrl}`,
    `- Origin: ${e.origin === undefined ? '(none: same-origin or not from a page)' : `\`${e.origin}\``}`,
    `- Cookie sent: ${e.cookieSent ? 'yes' : 'no'}`,
  ];
  const request = headerLines(e.requestHeaders, ['origin']);
  lines.push(request.length > 0 ? '- Request headers:' : '- Request headers: (none that matter to CORS)', ...request);
  const response = headerLines(e.responseHeaders);
  lines.push(response.length > 0 ? '- Response headers:' : '- Response headers: (no CORS headers)', ...response);
  // The one fact a reader looks for: without it the browser withholds a cross-origin response.
  const crossOrigin = e.origin !== undefined && e.origin !== e.api;
  if (crossOrigin && e.responseHeaders['access-control-allow-origin'] === undefined) {
    lines.push('- **No `Access-Control-Allow-Origin`**: the browser will not let the page read this response.');
  }
  lines.push('');
  return lines;
}

const cell = (value: string | undefined) => (value === undefined ? '—' : `\`${value.replace(/\|/g, '\\|')}\``);

/** The cross-origin requests at a glance: what a CORS question is about, without the sign-in's requests. */
function crossOriginTable(records: readonly ExchangeRecord[]): string[] {
  const rows = records
    .map((e, i) => ({ e, n: i + 1 }))
    .filter(({ e }) => e.origin !== undefined && e.origin !== e.api)
    .map(({ e, n }) => {
      const h = e.responseHeaders;
      const what = `${e.method} ${e.url.length > 60 ? `${e.url.slice(0, 59)}…` : e.url}${e.preflight ? ' (preflight)' : ''}`;
      return `| ${n} | ${what.replace(/\|/g, '\\|')} | ${cell(e.origin)} | ${e.status} | ${cell(h['access-control-allow-origin'])} | ${cell(h['access-control-allow-credentials'])} | ${e.cookieSent ? 'yes' : 'no'} |`;
    });
  if (rows.length === 0) return ['No cross-origin request reached the API.', ''];
  return [
    `## Cross-origin requests (${rows.length})`,
    '',
    '| # | request | Origin | status | Allow-Origin | Allow-Credentials | cookie sent |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ];
}

export function renderExchanges(logs: readonly ApiLog[]): string {
  const records = exchangeRecords(logs);
  const used = logs.filter((l) => l.entries.length > 0);
  const title = `# What the API saw: ${records.length} request${records.length === 1 ? '' : 's'}`;
  if (records.length === 0) return `${title}\n\nThe API received no request during this test.\n`;
  const apis = used.map((l) => `- ${l.label}: ${l.api} (${l.entries.length})`);
  const body = records.flatMap((e, i) => renderExchange(i + 1, e));
  return [title, '', ...apis, '', ...crossOriginTable(records), '## Every request, in order', '', ...body].join('\n');
}
