/**
 * The CORS conformance matrix: one test per entry of tests/scenarios/matrix-cases.ts, in whichever
 * engine runs it. Each test signs in (so a cookie exists to be sent or withheld), opens the
 * probe page on the trusted website, runs the case's requests against a CORS lab URL, and
 * checks what the page read, what it shows, the engine's reason and what the API received.
 */
import type { LabBehaviour } from '../../servers/okta-api/cors-lab/behaviour.js';
import { labPath } from '../../servers/okta-api/cors-lab/behaviour.js';
import { labExchanges } from '../../servers/okta-api/cors-lab/router.js';
import { exceptionsFor, expectationFor, MATRIX_CASES } from './matrix-cases.js';
import { corsBlocks, type CorsBlock } from '../framework/cors/reason-catalog.js';
import { clientAnnotation, type CorsCase } from '../framework/reporting/annotations.js';
import { recordObservedCase, type ObservedCase, type ObservedStep } from '../framework/reporting/cors-record.js';
import { CorsProbePage, type ProbeRequest } from '../pages/cors-probe-page.js';
import { CorsTestPage } from '../pages/cors-test-page.js';
import { expect, test } from '../fixtures/fixtures.js';

test.describe.configure({ mode: 'parallel' });

/** How long a blocked request's message may take to reach us after the page saw the failure. */
const MESSAGE_TIMEOUT_MS = 5_000;

const sortedList = (value: string | undefined): string[] | undefined =>
  value === undefined ? undefined : value.split(',').map((v) => v.trim().toLowerCase()).filter(Boolean).sort();

for (const matrixCase of MATRIX_CASES) {
  test(`${matrixCase.area}: ${matrixCase.name}`, { annotation: clientAnnotation(matrixCase.client) }, async ({ enginePage, servers, account, engineName }, testInfo) => {
    for (const exception of exceptionsFor(matrixCase, engineName)) {
      testInfo.annotations.push({ type: 'cors-exception', description: `step ${exception.step ?? 0}: ${exception.why}` });
    }
    // Signed in for every case, so "no cookie went" means the browser withheld one it had.
    await new CorsTestPage(enginePage).signIn(servers.api.url, account.login, account.password);
    const probe = new CorsProbePage(enginePage);
    await probe.open(servers.trustedSiteUrl);

    const origins = { page: servers.trustedSiteUrl, otherPort: servers.untrustedSiteUrl };
    const behaviour: LabBehaviour = { case: matrixCase.name, ...matrixCase.behaviour(origins) };
    const url = `${servers.api.url}${labPath(behaviour)}`;
    const expectedOrigin = matrixCase.sandboxed ? 'null' : servers.trustedSiteUrl;

    const observed: ObservedStep[] = [];
    try {
      for (const [index, step] of matrixCase.steps.entries()) {
        const expected = expectationFor(matrixCase, index, engineName);
        const request: ProbeRequest = {
          client: matrixCase.client,
          url,
          method: step.request.method,
          headers: step.request.headers ?? {},
          credentials: step.request.credentials,
          readHeaders: step.request.readHeaders ?? [],
          ...(step.request.body === undefined ? {} : { body: step.request.body }),
          ...(matrixCase.sandboxed ? { sandboxed: true } : {}),
        };
        const messagesBefore = enginePage.messages().length;
        const exchangesBefore = labExchanges(servers.api.exchangeLog, matrixCase.name).length;

        const { result, shown } = await probe.run(request);
        const stepBlocks = (): CorsBlock[] => corsBlocks(engineName, enginePage.messages().slice(messagesBefore));
        if (!result.readable) {
          // The engine's message may arrive after the page saw the failure: wait for it, not a fixed time.
          await expect
            .poll(() => stepBlocks().some((b) => b.url === url), { timeout: MESSAGE_TIMEOUT_MS })
            .toBe(true)
            .catch(() => undefined);
        }
        const blocks = stepBlocks();
        const exchanges = labExchanges(servers.api.exchangeLog, matrixCase.name).slice(exchangesBefore);
        observed.push({
          request, expected, result, shown, blocks, exchanges,
          messages: enginePage.messages().slice(messagesBefore),
        });
        const forUrl = blocks.filter((b) => b.url === url);
        const where = `step ${index} (${request.method} ${request.client})`;

        // The report's grid shows what was observed, whatever the assertions below decide.
        if (index === matrixCase.steps.length - 1) {
          const summary: CorsCase = {
            area: matrixCase.area,
            case: matrixCase.name,
            outcome: result.readable ? 'readable' : 'blocked',
            reason: result.readable ? null : (forUrl[0]?.reason ?? null),
          };
          recordObservedCase(testInfo, summary, forUrl);
        }

        // No message may escape the catalog: an unknown text fails here, showing the text.
        expect(blocks.filter((b) => b.reason === 'unrecognized').map((b) => b.raw), `${where}: CORS messages the catalog does not know`).toEqual([]);

        // What the script could read.
        expect(result.readable ? 'readable' : 'blocked', `${where}: outcome (error: ${result.error ?? 'none'})`).toBe(expected.outcome);
        expect(result.origin, `${where}: the origin the request ran from`).toBe(expectedOrigin);
        if (expected.outcome === 'readable') {
          expect(result.status, `${where}: status`).toBe(expected.status ?? 200);
          expect(JSON.parse(result.body ?? 'null'), `${where}: body`).toMatchObject({ lab: matrixCase.name, method: request.method });
          expect(forUrl, `${where}: a readable response must not have a block message`).toEqual([]);
        } else {
          expect(result.status, `${where}: a blocked response shows status 0`).toBe(0);
          expect(result.body, `${where}: nothing of a blocked body`).toBeNull();
          expect(
            forUrl.map((b) => b.reason),
            `${where}: the engine's reason for blocking ${url}; messages: ${JSON.stringify(enginePage.messages().slice(messagesBefore).map((m) => m.text))}`,
          ).toEqual(expect.arrayContaining([expected.reason]));
          expect(forUrl[0]?.reason, `${where}: first reason given`).toBe(expected.reason);
        }

        // What the page shows.
        expect(shown.outcome, `${where}: #probe-result outcome`).toBe(expected.outcome);
        expect(shown.status, `${where}: #probe-result status`).toBe(result.status);
        expect(shown.run, `${where}: #probe-result shows this run`).toBe(result.run);
        expect(shown.body, `${where}: #probe-result body`).toBe(result.readable ? result.body : null);

        // What the API received.
        const preflights = exchanges.filter((e) => e.preflight);
        const actuals = exchanges.filter((e) => !e.preflight);
        for (const exchange of exchanges) expect(exchange.origin, `${where}: Origin of ${exchange.method}`).toBe(expectedOrigin);
        if (expected.server.preflight === false) {
          expect(preflights, `${where}: no preflight`).toEqual([]);
        } else {
          expect(preflights, `${where}: exactly one preflight`).toHaveLength(1);
          const preflight = preflights[0];
          expect(preflight?.requestHeaders['access-control-request-method'], `${where}: preflight's request method`).toBe(request.method);
          expect(sortedList(preflight?.requestHeaders['access-control-request-headers']), `${where}: preflight's request headers`)
            .toEqual(expected.server.preflight.requestHeaders);
          expect(preflight?.cookieSent, `${where}: a preflight never carries the cookie`).toBe(false);
        }
        if (expected.server.actual === 'not-sent') {
          expect(actuals, `${where}: the request itself must not reach the API`).toEqual([]);
        } else {
          expect(actuals, `${where}: the request reached the API once`).toHaveLength(1);
          expect(actuals[0]?.method).toBe(request.method);
          expect(actuals[0]?.cookieSent, `${where}: session cookie on the request`).toBe(expected.server.actual === 'with-cookie');
        }

        // Response headers the page tried to read.
        for (const [name, want] of Object.entries(expected.headers ?? {})) {
          const got = result.headers[name];
          if (want === null) {
            expect(got, `${where}: ${name} must not be readable`).toBeNull();
            expect(result.headerNames, `${where}: ${name} must not be listed`).not.toContain(name.toLowerCase());
          } else if (want === 'requestId') {
            expect(got, `${where}: ${name} as the API sent it`).toBe(actuals[0]?.responseHeaders['x-okta-request-id']);
            expect(got).toBeTruthy();
          } else if (want === 'readable') {
            expect(got, `${where}: ${name} readable`).not.toBeNull();
          } else {
            expect(got, `${where}: ${name}`).toBe(want);
          }
          expect(shown.headers[name.toLowerCase()], `${where}: #probe-result shows ${name} as read`).toBe(got ?? null);
        }
      }
    } finally {
      await testInfo.attach('cors-observed.json', {
        body: JSON.stringify({ engine: engineName, area: matrixCase.area, case: matrixCase.name, url, steps: observed } satisfies ObservedCase, null, 2),
        contentType: 'application/json',
      });
    }
  });
}
