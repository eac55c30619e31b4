/**
 * The CORS matrix's checks of one step, each a small named function: what the script read,
 * what the page shows, the engine's reason, what each hop's server received, and the response
 * headers the page tried to read. cors-matrix.spec.ts runs them in this order for every step.
 */
import { expect } from '@playwright/test';
import type { Exchange } from '../../../servers/okta-api/exchange-log.js';
import type { ProbeRequest, ProbeResult, ProbeShown } from '../../pages/cors-probe-page.js';
import type { HopServer, OriginSent, StepExpectation } from '../../scenarios/matrix-cases.js';
import type { EngineMessage } from '../engines/engine.js';
import type { CorsBlock } from './reason-catalog.js';

/** One step as run: its request, what came back, and what the engine and servers saw. */
export interface StepRun {
  /** "step N (METHOD client)", the prefix of every assertion message. */
  where: string;
  caseName: string;
  request: ProbeRequest;
  expected: StepExpectation;
  result: ProbeResult;
  shown: ProbeShown;
  /** Every CORS block the engine reported during the step, and those for this case's URLs. */
  blocks: CorsBlock[];
  forCase: CorsBlock[];
  /** The engine's messages during the step. */
  messages: EngineMessage[];
  exchanges: Exchange[];
  /** The Origin values a hop may expect, by name. */
  origins: Record<Exclude<OriginSent, 'absent'>, string>;
  /** The Origin a hop gets unless its expectation says otherwise. */
  defaultOrigin: OriginSent;
}

/**
 * Across a case: where an engine's cache may miss ('cache-may-miss' steps), at least one of those
 * steps must have been served without a preflight, or the engine's cache did not work at all.
 */
export function checkCacheHitAmongMayMiss(steps: readonly { expected: StepExpectation; exchanges: readonly Exchange[] }[]): void {
  const mayMiss = steps.filter((step) => step.expected.server.preflight === 'cache-may-miss');
  if (mayMiss.length === 0) return;
  const hits = mayMiss.filter((step) => !step.exchanges.some((e) => e.preflight));
  expect(hits.length, `of the ${mayMiss.length} steps whose cache may miss, at least one must be served from the preflight cache`).toBeGreaterThan(0);
}

export function outcomeOf(result: ProbeResult): StepExpectation['outcome'] {
  return result.readable ? 'readable' : result.opaque ? 'opaque' : 'blocked';
}

/** No message may escape the catalog: an unknown text fails here, showing the text. */
function checkCatalogKnowsEveryMessage(run: StepRun): void {
  expect(run.blocks.filter((b) => b.reason === 'unrecognized').map((b) => b.raw), `${run.where}: CORS messages the catalog does not know`).toEqual([]);
}

/** What the script could read. */
function checkOutcome(run: StepRun): void {
  const { where, result, expected } = run;
  expect(outcomeOf(result), `${where}: outcome (error: ${result.error ?? 'none'})`).toBe(expected.outcome);
  if (expected.outcome === 'readable') {
    expect(result.status, `${where}: status`).toBe(expected.status ?? 200);
    const lastHop = expected.server.redirects?.at(-1);
    expect(JSON.parse(result.body ?? 'null'), `${where}: body`).toMatchObject({
      lab: run.caseName,
      hop: expected.server.redirects?.length ?? 0,
      method: lastHop?.method ?? expected.server.method ?? run.request.method,
    });
    expect(run.forCase, `${where}: a readable response must not have a block message`).toEqual([]);
    return;
  }
  expect(result.status, `${where}: a response the page cannot read shows status 0`).toBe(0);
  expect(result.body, `${where}: nothing of the body`).toBeNull();
  if (expected.outcome === 'opaque') {
    expect(run.forCase, `${where}: an opaque (no-cors) response is no CORS failure`).toEqual([]);
    return;
  }
  if (expected.reason === 'no-message') {
    expect(run.forCase, `${where}: this engine blocks without a CORS message`).toEqual([]);
    return;
  }
  expect(
    run.forCase.map((b) => b.reason),
    `${where}: the engine's reason for blocking; messages: ${JSON.stringify(run.messages.map((m) => m.text))}`,
  ).toEqual(expect.arrayContaining([expected.reason]));
  expect(run.forCase[0]?.reason, `${where}: first reason given`).toBe(expected.reason);
}

/** What the page shows in #probe-result. */
function checkShown(run: StepRun): void {
  const { where, result, shown, expected } = run;
  expect(shown.outcome, `${where}: #probe-result outcome`).toBe(expected.outcome);
  expect(shown.status, `${where}: #probe-result status`).toBe(result.status);
  expect(shown.run, `${where}: #probe-result shows this run`).toBe(result.run);
  expect(shown.body, `${where}: #probe-result body`).toBe(result.readable ? result.body : null);
}

function checkHop(run: StepRun, hop: HopServer, index: number): void {
  const where = `${run.where}, hop ${index}`;
  const exchanges = run.exchanges.filter((e) => e.lab?.hop === index);
  const preflights = exchanges.filter((e) => e.preflight);
  const actuals = exchanges.filter((e) => !e.preflight);
  const origin = hop.origin ?? run.defaultOrigin;
  const want = origin === 'absent' ? undefined : run.origins[origin];
  for (const exchange of exchanges) expect(exchange.origin, `${where}: Origin of ${exchange.method}`).toBe(want);
  if (hop.preflight === false) {
    expect(preflights, `${where}: no preflight`).toEqual([]);
  } else if (hop.preflight === 'cache-may-miss') {
    expect(preflights.length, `${where}: a cache that may miss sends at most one preflight`).toBeLessThanOrEqual(1);
    expect(preflights.some((p) => p.cookieSent), `${where}: a preflight never carries the cookie`).toBe(false);
  } else {
    expect(preflights, `${where}: exactly one preflight`).toHaveLength(1);
    const headers = preflights[0]?.requestHeaders ?? {};
    expect(headers['access-control-request-method'], `${where}: preflight's request method, as sent`).toBe(hop.preflight.method ?? hop.method ?? run.request.method);
    // The raw header: lower-case names, sorted, comma-separated, safelisted ones left out.
    expect(headers['access-control-request-headers'], `${where}: preflight's Access-Control-Request-Headers, as sent`)
      .toBe(hop.preflight.requestHeaders?.join(','));
    expect(preflights[0]?.cookieSent, `${where}: a preflight never carries the cookie`).toBe(false);
  }
  if (hop.actual === 'not-sent') {
    expect(actuals, `${where}: the request itself must not reach this hop`).toEqual([]);
    return;
  }
  expect(actuals, `${where}: the request reached this hop once`).toHaveLength(1);
  const actual = actuals[0];
  expect(actual?.method, `${where}: method`).toBe(hop.method ?? run.request.method);
  expect(actual?.cookieSent, `${where}: session cookie on the request`).toBe(hop.actual === 'with-cookie');
  if (hop.ifNoneMatch !== undefined) expect(actual?.requestHeaders['if-none-match'] ?? null, `${where}: If-None-Match on the request`).toBe(hop.ifNoneMatch);
  if (hop.answered !== undefined) expect(actual?.status, `${where}: status the server answered`).toBe(hop.answered);
  if (hop.labCookies !== undefined) expect(actual?.labCookies ?? [], `${where}: the lab's cookies on the request`).toEqual(hop.labCookies);
  if (hop.body !== undefined) {
    const sent = actual?.requestHeaders['content-length'] !== undefined && actual.requestHeaders['content-length'] !== '0';
    expect(sent ? 'sent' : 'dropped', `${where}: request body`).toBe(hop.body);
    if (hop.body === 'dropped') expect(actual?.requestHeaders['content-type'], `${where}: Content-Type goes with the body`).toBeUndefined();
  }
}

/** What each hop's server received: preflight or not, Origin, the cookie, method and body. */
function checkServer(run: StepRun): void {
  const hops = [run.expected.server, ...(run.expected.server.redirects ?? [])];
  hops.forEach((hop, index) => checkHop(run, hop, index));
  expect(run.exchanges.filter((e) => (e.lab?.hop ?? 0) >= hops.length), `${run.where}: no hop beyond the expected ones`).toEqual([]);
}

/** Response headers the page tried to read. `requestId` stands for X-Okta-Request-Id as the last hop sent it. */
function checkReadHeaders(run: StepRun): void {
  const { where, result, shown } = run;
  const lastActual = run.exchanges.filter((e) => !e.preflight).at(-1);
  for (const [name, want] of Object.entries(run.expected.headers ?? {})) {
    const got = result.headers[name];
    if (want === null) {
      expect(got, `${where}: ${name} must not be readable`).toBeNull();
      expect(result.headerNames, `${where}: ${name} must not be listed`).not.toContain(name.toLowerCase());
    } else if (want === 'requestId') {
      expect(got, `${where}: ${name} as the API sent it`).toBe(lastActual?.responseHeaders['x-okta-request-id']);
      expect(got).toBeTruthy();
    } else if (want === 'readable') {
      expect(got, `${where}: ${name} readable`).not.toBeNull();
    } else {
      expect(got, `${where}: ${name}`).toBe(want);
    }
    expect(shown.headers[name.toLowerCase()], `${where}: #probe-result shows ${name} as read`).toBe(got ?? null);
  }
}

export const STEP_CHECKS = [checkCatalogKnowsEveryMessage, checkOutcome, checkShown, checkServer, checkReadHeaders] as const;
