/**
 * The seed's three scenarios against the API under test (tests/fixtures/api-under-test.ts):
 * the suite's own mock by default, or the Okta-compatible API that CORS_API_URL names. Only
 * what any API lets us see is asserted: what the page shows, what the engine reported, and
 * what the API itself answers over HTTP; never the mock's own logs or state. The session comes
 * from Okta's sign-in flow (authn, then the API's sessionCookieRedirect in the browser).
 */
import type { TestInfo } from '@playwright/test';
import type { EngineName } from '../framework/engines/engine.js';
import { corsBlocks, NAMES_ORIGIN } from '../framework/cors/reason-catalog.js';
import { clientAnnotation } from '../framework/reporting/annotations.js';
import { recordTestPageCase } from '../framework/reporting/cors-record.js';
import { expect, test } from '../fixtures/api-under-test.js';
import { blockedMessage, CLIENTS, LOGIN_HINT, type CorsTestPage, type TestResult } from '../pages/cors-test-page.js';

/** Records the test's `cors-case` (area api-under-test) and returns the engine's blocks of the call to `url`. */
const observe = (testInfo: TestInfo, caseName: string, result: TestResult, engine: EngineName, corsPage: CorsTestPage, url: string) =>
  recordTestPageCase(testInfo, { area: 'api-under-test', case: caseName, engine, messages: () => corsPage.messages(), url, result });

test.describe.configure({ mode: 'parallel' });

for (const client of CLIENTS) {
  test.describe(`${client} client`, { annotation: clientAnnotation(client) }, () => {
    test('allowed: signed in through the API, a trusted origin shows the signed-in user', async ({
      apiUnderTest, signInToApi, corsPage, engineName,
    }, testInfo) => {
      const user = await signInToApi();

      const result = await corsPage.test(apiUnderTest.trustedSiteUrl, apiUnderTest.url, client);
      await observe(testInfo, `allowed (${client})`, result, engineName, corsPage, `${apiUnderTest.url}/api/v1/users/me`);

      // The panel shows the user the API signed in, as POST /api/v1/authn described them.
      expect(result).toMatchObject({
        outcome: 'profile',
        profile: {
          id: user.id,
          status: 'ACTIVE',
          login: user.profile.login,
          firstName: user.profile.firstName,
          lastName: user.profile.lastName,
        },
      });
      expect(user.profile.login).toBe(apiUnderTest.login);
      expect(corsBlocks(engineName, corsPage.messages())).toEqual([]);
    });

    test('disallowed: signed in through the API, an untrusted origin is blocked by the browser', async ({
      apiUnderTest, signInToApi, corsPage, engineName,
    }, testInfo) => {
      await signInToApi();

      const result = await corsPage.test(apiUnderTest.untrustedSiteUrl, apiUnderTest.url, client);
      const url = `${apiUnderTest.url}/api/v1/users/me`;
      const blocks = await observe(testInfo, `disallowed (${client})`, result, engineName, corsPage, url);

      expect(result).toEqual({ outcome: 'error', ...blockedMessage(apiUnderTest.untrustedSiteUrl) });
      expect(blocks).toContainEqual(
        expect.objectContaining({
          reason: 'missing-allow-origin',
          url,
          ...(NAMES_ORIGIN[engineName] ? { origin: apiUnderTest.untrustedSiteUrl } : {}),
        }),
      );
      // Blocked for its origin, not for want of a session: the same browser reads it from the trusted one.
      expect(await corsPage.test(apiUnderTest.trustedSiteUrl, apiUnderTest.url, client)).toMatchObject({
        outcome: 'profile',
        profile: { login: apiUnderTest.login },
      });
    });

    test('unauthenticated: a trusted origin without a session gets what the API answers a stranger', async ({
      apiUnderTest, corsPage, engineName,
    }, testInfo) => {
      const site = apiUnderTest.trustedSiteUrl;
      // Okta documents two answers (its 403 with or without CORS headers): ask the API which it gives.
      const answer = await apiUnderTest.usersMeWithoutSession(site);
      expect(answer.status, 'GET /api/v1/users/me without a session').toBe(403);
      const withCors = answer.allowOrigin === site && answer.allowCredentials === 'true';
      if (!withCors) expect(answer.allowOrigin, "Okta's 403 carries the trusted origin's CORS headers or none").toBeNull();
      testInfo.annotations.push({ type: 'api-error-cors', description: withCors ? 'with-cors' : 'without-cors' });

      const result = await corsPage.test(site, apiUnderTest.url, client);
      const url = `${apiUnderTest.url}/api/v1/users/me`;
      const blocks = await observe(testInfo, `unauthenticated (${client})`, result, engineName, corsPage, url);

      if (withCors) {
        // The page reads Okta's errorSummary from the 403.
        expect(result).toEqual({ outcome: 'error', title: 'Invalid session', message: LOGIN_HINT });
        expect(corsBlocks(engineName, corsPage.messages())).toEqual([]);
      } else {
        expect(result).toEqual({ outcome: 'error', ...blockedMessage(site) });
        expect(blocks).toContainEqual(expect.objectContaining({ reason: 'missing-allow-origin', url }));
      }
    });
  });
}
