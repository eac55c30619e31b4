/**
 * The preflight-cache window of the matrix (tests/framework/cors/cache-window.ts): a step that
 * counts on a cache hit keeps its expectation while the entry lives, expects a new preflight
 * once it has expired, and refuses to conclude right at the edge.
 */
import { expect, test } from '@playwright/test';
import type { Exchange } from '../../servers/okta-api/exchange-log.js';
import { judgeCacheWindow, sincePreflightMs } from '../framework/cors/cache-window.js';
import type { StepExpectation } from '../scenarios/matrix-cases.js';

const hit: StepExpectation = { outcome: 'readable', server: { preflight: false, actual: 'with-cookie' } };
const exchange = (at: string, preflight: boolean): Exchange => ({
  at, method: preflight ? 'OPTIONS' : 'PUT', url: '/cors-lab/x/resource', origin: 'http://127.0.0.1:1', preflight,
  requestHeaders: {}, cookieSent: !preflight, status: 200, responseHeaders: {},
});

test('the time runs from the latest preflight before the step to its first exchange', () => {
  const before = [exchange('2026-01-01T00:00:00.000Z', true), exchange('2026-01-01T00:00:00.100Z', false), exchange('2026-01-01T00:00:01.000Z', true)];
  expect(sincePreflightMs(before, [exchange('2026-01-01T00:00:03.500Z', false)])).toBe(2_500);
  expect(sincePreflightMs([exchange('2026-01-01T00:00:00.000Z', false)], [exchange('2026-01-01T00:00:09.000Z', false)])).toBeUndefined();
});

test('within the window the cache hit is expected', () => {
  expect(judgeCacheWindow(hit, 5_000, 400)).toEqual({ kind: 'within' });
  expect(judgeCacheWindow(hit, 5_000, 4_749)).toEqual({ kind: 'within' });
});

test('past the window a new preflight is expected, and the note says how long it was', () => {
  const verdict = judgeCacheWindow(hit, 5_000, 6_278);
  expect(verdict.kind).toBe('expired');
  if (verdict.kind !== 'expired') return;
  expect(verdict.expected.server.preflight).toEqual({});
  expect(verdict.expected.server.actual).toBe('with-cookie');
  expect(verdict.note).toContain('6278 ms');
});

test('at the edge of the window the step cannot conclude', () => {
  expect(judgeCacheWindow(hit, 5_000, 5_100).kind).toBe('undecidable');
  expect(judgeCacheWindow(hit, 5_000, 4_900).kind).toBe('undecidable');
});

test('a step that expects a preflight anyway is left alone', () => {
  const preflighted: StepExpectation = { ...hit, server: { ...hit.server, preflight: {} } };
  expect(judgeCacheWindow(preflighted, 5_000, 60_000)).toEqual({ kind: 'within' });
});
