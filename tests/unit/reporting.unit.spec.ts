/**
 * The reporting helpers on plain data: the CORS matrix and its closing line, the annotations
 * it reads, the Allure labels derived from a test, the exchange rendering, the reporter choice.
 */
import { expect, test } from '@playwright/test';
import type { Exchange } from '../../servers/okta-api/exchange-log.js';
import { allureMetadata, fallbackLabels, specArea } from '../framework/reporting/allure-labels.js';
import type { EngineInfo } from '../framework/engines/engine.js';
import {
  clientAnnotation, readClient, readCorsCases, readEngine, readSeverity, recordCorsCase, recordEngine, severityAnnotation, type Annotation,
} from '../framework/reporting/annotations.js';
import { buildMatrix, closingLine, type MatrixEntry } from '../framework/reporting/cors-matrix.js';
import { renderHtml } from '../framework/reporting/cors-matrix-html.js';
import { renderMarkdown, renderTerminal } from '../framework/reporting/cors-matrix-text.js';
import { renderExchanges } from '../framework/reporting/exchange-report.js';
import { blobFileName, reportMode, reporters } from '../framework/reporting/reporters.js';
import { blocksOfCall } from '../framework/reporting/cors-record.js';
import type { EngineMessage } from '../framework/engines/engine.js';

const corsCase = (outcome: 'readable' | 'blocked', reason: 'missing-allow-origin' | 'method-not-allowed' | null = null): Annotation => {
  const sink = { annotations: [] as Annotation[] };
  recordCorsCase(sink, { area: 'preflight', case: 'method not listed', outcome, reason });
  return sink.annotations[0]!;
};

test.describe('annotations: what a test records reads back typed, through one module', () => {
  test('cors-case: what was recorded reads back; a malformed one is ignored, never thrown', () => {
    const sink = { annotations: [] as Annotation[] };
    recordCorsCase(sink, { area: 'a', case: 'c', outcome: 'blocked', reason: 'missing-allow-origin' });
    recordCorsCase(sink, { area: 'a', case: 'd', outcome: 'readable', reason: null });
    expect(readCorsCases(sink.annotations)).toEqual([
      { area: 'a', case: 'c', outcome: 'blocked', reason: 'missing-allow-origin' },
      { area: 'a', case: 'd', outcome: 'readable', reason: null },
    ]);
    const malformed = ['not json', '{"outcome":"maybe"}', '{"area":"a","case":"c","outcome":"blocked","reason":"no-such-code"}', undefined];
    expect(readCorsCases(malformed.map((description) => ({ type: 'cors-case', description })))).toEqual([]);
  });

  test('engine: what the fixture records reads back, whatever its text holds', () => {
    const info: EngineInfo = { name: 'webkit', version: 'WebKitGTK 2.50.6', kind: 'system', description: 'MiniBrowser (a: b): c' };
    const sink = { annotations: [] as Annotation[] };
    recordEngine(sink, info);
    expect(readEngine(sink.annotations)).toEqual(info);
    expect(readEngine([{ type: 'engine', description: JSON.stringify({ ...info, name: 'lynx' }) }])).toBeUndefined();
  });

  test('client and severity: declared on a describe, read back; the last one wins; unknown values are ignored', () => {
    expect(readClient([clientAnnotation('xhr'), clientAnnotation('fetch')])).toBe('fetch');
    expect(readSeverity([severityAnnotation('critical')])).toBe('critical');
    expect(readSeverity([{ type: 'severity', description: '"urgent"' }])).toBeUndefined();
    expect(readClient([])).toBeUndefined();
  });
});

test.describe('CORS matrix', () => {
  const entry = (project: string, title: string, outcome: MatrixEntry['outcome'], cases: MatrixEntry['cases'] = [], error?: string): MatrixEntry => ({
    project, scenario: ['scenarios/cors-matrix.spec.ts', title], outcome, cases, ...(error ? { error } : {}),
  });
  const blocked = readCorsCases([corsCase('blocked', 'missing-allow-origin')]);
  const readable = readCorsCases([corsCase('readable')]);
  const entries: MatrixEntry[] = [
    entry('unit', 'reason catalog', 'expected'),
    entry('firefox', 'preflight: method not listed', 'expected', blocked),
    entry('chromium', 'preflight: method not listed', 'expected', blocked),
    entry('webkit', 'preflight: method not listed', 'unexpected', readable, 'expected "blocked", got "readable"'),
    entry('chromium', 'origin: exact', 'expected', readable),
    entry('chromium', 'seed: allowed', 'flaky'),
    entry('firefox', 'origin: exact', 'skipped'),
  ];
  const matrix = buildMatrix(entries);

  test('rows are scenarios, columns the engines in their order, cells the observed outcome', () => {
    expect(matrix.columns).toEqual(['chromium', 'firefox', 'webkit']);
    expect(matrix.rows.map((r) => r.title)).toEqual(['preflight: method not listed', 'origin: exact', 'seed: allowed']);
    const [preflight, exact] = matrix.rows;
    expect(preflight?.cells.get('chromium')).toMatchObject({ state: 'blocked', reasons: ['missing-allow-origin'] });
    expect(preflight?.cells.get('webkit')).toMatchObject({ state: 'failed', observed: ['readable'], error: 'expected "blocked", got "readable"' });
    expect(exact?.cells.get('firefox')?.state).toBe('skipped');
    expect(exact?.cells.get('webkit')).toBeUndefined();
    expect(matrix.others.get('unit')).toEqual({ passed: 1, failed: 0, skipped: 0, flaky: 0 });
  });

  test('the closing line counts every test; skipped only when any; errors outside tests fail', () => {
    expect(closingLine(matrix)).toBe('5 passed, 1 failed, 1 skipped');
    expect(closingLine(buildMatrix([entry('chromium', 'a', 'expected')]))).toBe('1 passed, 0 failed');
    expect(closingLine(buildMatrix([], { errors: 1 }))).toBe('0 passed, 1 failed');
  });

  test('renderings name engines, states, reasons and failures', () => {
    const md = renderMarkdown(matrix);
    expect(md).toContain('| Scenario | chromium | firefox | webkit |');
    expect(md).toContain('| preflight: method not listed ≠ | 🔒 blocked (missing-allow-origin) | 🔒 blocked (missing-allow-origin) | ❌ **failed (observed readable)** |');
    expect(md).toContain('- **webkit** · scenarios/cors-matrix.spec.ts › preflight: method not listed: expected "blocked", got "readable"');
    const html = renderHtml(matrix);
    expect(html).toContain('<td class="cell failed" title="expected &quot;blocked&quot;, got &quot;readable&quot;">');
    expect(html).toContain('<span class="reason">missing-allow-origin</span>');
    const terminal = renderTerminal(matrix);
    expect(terminal.split('\n').length).toBeLessThan(12);
    expect(terminal).toMatch(/failed\s+0\s+0\s+1/);
  });

  test('titles cannot break the Markdown table', () => {
    const md = renderMarkdown(buildMatrix([entry('chromium', 'a | b', 'expected')]));
    expect(md).toContain('| a \\| b | ✅ passed |');
  });
});

test.describe('Allure labels', () => {
  const facts = {
    file: '/repo/tests/scenarios/seed-scenarios.spec.ts',
    titlePath: ['jquery client', 'disallowed: a signed-in user on an untrusted origin is blocked'],
    annotations: [clientAnnotation('jquery'), severityAnnotation('critical')],
    engine: { name: 'firefox', version: '153.0', kind: 'system' } as const,
    origins: [undefined, 'http://127.0.0.1:2', 'http://127.0.0.1:2'],
    knownOrigins: { 'http://127.0.0.1:1': 'trusted site', 'http://127.0.0.1:2': 'untrusted site' },
  };

  test('epic, feature and story come from the spec file and titles; client and severity as recorded', () => {
    expect(specArea('cors-matrix.spec.ts')).toBe('CORS matrix');
    const { labels, parameters, displayName } = allureMetadata(facts);
    expect(displayName).toBe('disallowed: a signed-in user on an untrusted origin is blocked [firefox]');
    expect(labels).toEqual(expect.arrayContaining([
      { name: 'epic', value: 'Seed scenarios' },
      { name: 'feature', value: 'jquery client' },
      { name: 'story', value: 'disallowed' },
      { name: 'severity', value: 'critical' },
      { name: 'engine', value: 'firefox' },
    ]));
    expect(parameters).toEqual([
      { name: 'engine', value: 'firefox 153.0 (system)', excluded: true },
      { name: 'client', value: 'jquery' },
      { name: 'origin', value: 'untrusted site (http://127.0.0.1:2)', excluded: true },
    ]);
  });

  test('titles alone name no client and no severity: only what the test recorded counts', () => {
    const { labels, parameters } = allureMetadata({ ...facts, annotations: [] });
    expect(labels).toContainEqual({ name: 'severity', value: 'normal' });
    expect(parameters.map((p) => p.name)).toEqual(['engine', 'origin']);
  });

  test('a cors-case names feature and story and adds outcome and reason labels', () => {
    const { labels } = allureMetadata({
      ...facts,
      file: 'cors-matrix.spec.ts',
      titlePath: ['preflight: method not listed'],
      annotations: [corsCase('blocked', 'method-not-allowed'), severityAnnotation('blocker')],
    });
    expect(labels).toEqual(expect.arrayContaining([
      { name: 'epic', value: 'CORS matrix' },
      { name: 'feature', value: 'preflight' },
      { name: 'story', value: 'method not listed' },
      { name: 'severity', value: 'blocker' },
      { name: 'corsOutcome', value: 'blocked' },
      { name: 'corsReason', value: 'method-not-allowed' },
    ]));
  });
});

test('Allure labels for tests the fixture did not label: by project, file and titles', () => {
  const labels = (project: string, file: string, subSuite?: string) => [
    { name: 'parentSuite', value: project },
    { name: 'suite', value: file },
    ...(subSuite ? [{ name: 'subSuite', value: subSuite }] : []),
  ];
  const engines = ['chromium'];
  expect(fallbackLabels(labels('unit', 'cors/reason-catalog.unit.spec.ts', 'chromium'), 'names a reason', engines)).toEqual([
    { name: 'epic', value: 'Browser-free checks' },
    { name: 'feature', value: 'Reason catalog' },
    { name: 'story', value: 'chromium' },
    { name: 'severity', value: 'normal' },
  ]);
  expect(fallbackLabels(labels('chromium', 'scenarios/seed-scenarios.spec.ts', 'xhr client'), 'allowed: a user', engines)).toEqual([
    { name: 'epic', value: 'Seed scenarios' },
    { name: 'feature', value: 'xhr client' },
    { name: 'story', value: 'allowed' },
    { name: 'severity', value: 'normal' },
  ]);
  expect(fallbackLabels([{ name: 'epic', value: 'set by the fixture' }], 'x', engines)).toEqual([]);
});

test('exchanges read as a list of requests, naming a missing allow-origin', () => {
  const exchange = (over: Partial<Exchange>): Exchange => ({
    at: '2026-01-01T00:00:00.000Z', method: 'GET', url: '/api/v1/users/me', origin: 'http://127.0.0.1:2', preflight: false,
    requestHeaders: {}, cookieSent: true, status: 200, responseHeaders: { vary: 'Origin' }, ...over,
  });
  const text = renderExchanges([{ label: 'API', api: 'http://127.0.0.1:1', entries: [
    exchange({ method: 'OPTIONS', preflight: true, status: 204, at: '2026-01-01T00:00:00.000Z', requestHeaders: { 'access-control-request-method': 'PUT' } }),
    exchange({ method: 'PUT', at: '2026-01-01T00:00:01.000Z' }),
  ] }]);
  expect(text).toContain('# What the API saw: 2 requests');
  expect(text).toContain('| 1 | OPTIONS /api/v1/users/me (preflight) | `http://127.0.0.1:2` | 204 | — | — | yes |');
  expect(text).toContain('### 1. OPTIONS /api/v1/users/me (preflight) → 204');
  expect(text).toContain('- URL: http://127.0.0.1:1/api/v1/users/me');
  expect(text).toContain('  - `access-control-request-method: PUT`');
  expect(text).toContain('- **No `Access-Control-Allow-Origin`**');
  expect(renderExchanges([{ label: 'API', api: 'x', entries: [] }])).toContain('received no request');
});

test('reporters: blob per shard (named so shards on one machine keep each other), list leaves reports alone', () => {
  expect(reportMode({}, ['node', 'playwright', 'test'])).toBe('run');
  expect(reportMode({}, ['test', '--shard=1/2'])).toBe('blob');
  expect(reportMode({ CORS_BLOB: '1' }, ['test'])).toBe('blob');
  expect(reportMode({ CORS_BLOB: '0' }, ['test', '--shard', '1/2'])).toBe('run');
  expect(reportMode({}, ['test', '--list'])).toBe('list');
  expect(blobFileName(['test', '--project=chromium', '--shard=2/3'])).toBe('report-chromium-2-of-3.zip');
  expect(blobFileName(['test', '--project', 'firefox', '--project=webkit'])).toBe('report-firefox-webkit.zip');
  const names = (mode: Parameters<typeof reporters>[0], env = {}) => reporters(mode, env, ['test']).map(([name]) => name.replace(/.*\//, ''));
  expect(names('run')).toEqual(['list', 'html', 'allure-results-reporter.ts', 'allure-playwright-reporter.ts', 'cors-matrix-reporter.ts']);
  expect(names('run', { CI: 'true' })[0]).toBe('dot');
  expect(names('blob')).toEqual(['list', 'blob', 'cors-matrix-reporter.ts']);
  expect(names('merge')).toEqual(['html', 'allure-results-reporter.ts', 'allure-playwright-reporter.ts', 'cors-matrix-reporter.ts']);
});

test.describe('blocksOfCall: the engine\'s blocks of one call, as they trail the page', () => {
  // Firefox's own sentences (tests/framework/cors/captured-messages/firefox.json), in the order it
  // may print them: the generic follow-up first, the reason it follows a moment later.
  const url = 'http://127.0.0.1:1/x';
  const firefox = (reason: string, status: string): EngineMessage => ({
    kind: 'console',
    level: 'error',
    text: `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${url}. (Reason: ${reason}). Status code: ${status}.`,
  });
  const followUp = firefox('CORS request did not succeed', '(null)');
  const namedReason = firefox('CORS header ‘Access-Control-Allow-Origin’ missing', '200');

  test('waits past Firefox\'s generic follow-up for the block that names the failure', async () => {
    const messages: EngineMessage[] = [followUp];
    setTimeout(() => messages.push(namedReason), 100);
    const blocks = await blocksOfCall('firefox', () => messages, url);
    expect(blocks.map((b) => b.reason)).toEqual(['missing-allow-origin', 'request-did-not-succeed']);
  });
});
