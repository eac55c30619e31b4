/**
 * The seed's three scenarios (Okta's "Enabling CORS" test tool): allowed, disallowed and
 * unauthenticated, with each of the page's three clients, in whichever engine runs them.
 */
import type { TestInfo } from '@playwright/test';
import type { OktaUser } from '../../servers/okta-api/users.js';
import type { EngineName } from '../framework/engines/engine.js';
import { corsBlocks, NAMES_ORIGIN } from '../framework/cors/reason-catalog.js';
import { clientAnnotation, severityAnnotation } from '../framework/reporting/annotations.js';
import { recordTestPageCase } from '../framework/reporting/cors-record.js';
import { blockedMessage, CLIENTS, LOGIN_HINT, type CorsTestPage, type ProfileField, type TestResult } from '../pages/cors-test-page.js';
import { expect, test } from '../fixtures/fixtures.js';

/** The reporting hook: what the page showed and the engine's reason, for the matrix. */
const recordSeedCase = (testInfo: TestInfo, caseName: string, result: TestResult, engine: EngineName, corsPage: CorsTestPage, apiUrl: string) =>
  recordTestPageCase(testInfo, { area: 'seed', case: caseName, engine, messages: () => corsPage.messages(), url: `${apiUrl}/api/v1/users/me`, result });

/** What the profile panel must show for `user`: every field, exactly as the API holds it. */
function profileOf(user: OktaUser): Record<ProfileField, string> {
  return {
    id: user.id,
    status: user.status,
    login: user.profile.login,
    email: user.profile.email,
    firstName: user.profile.firstName,
    lastName: user.profile.lastName,
    mobilePhone: user.profile.mobilePhone ?? '',
    created: user.created,
    lastUpdated: user.lastUpdated,
    lastLogin: user.lastLogin ?? '',
  };
}

test.describe.configure({ mode: 'parallel' });

for (const client of CLIENTS) {
  // Critical: these flows are what Okta's "Enabling CORS" guide promises.
  test.describe(`${client} client`, { annotation: [clientAnnotation(client), severityAnnotation('critical')] }, () => {
    test('allowed: a signed-in user on a trusted origin sees their profile', async ({
      corsPage, servers, account, engineName,
    }, testInfo) => {
      await corsPage.signIn(servers.api.url, account.login, account.password);

      const result = await corsPage.test(servers.trustedSiteUrl, servers.api.url, client);
      await recordSeedCase(testInfo, `allowed (${client})`, result, engineName, corsPage, servers.api.url);

      expect(result).toEqual({ outcome: 'profile', profile: profileOf(servers.api.account.user) });
      expect(corsBlocks(engineName, corsPage.messages())).toEqual([]);
      const call = servers.api.exchangeLog.entries().find((e) => e.url === '/api/v1/users/me');
      expect(call).toMatchObject({ origin: servers.trustedSiteUrl, cookieSent: true, status: 200 });
      expect(call?.responseHeaders['access-control-allow-origin']).toBe(servers.trustedSiteUrl);
      expect(call?.responseHeaders['access-control-allow-credentials']).toBe('true');
    });

    test('disallowed: a signed-in user on an untrusted origin is blocked by the browser', async ({
      corsPage, servers, account, engineName,
    }, testInfo) => {
      await corsPage.signIn(servers.api.url, account.login, account.password);

      const result = await corsPage.test(servers.untrustedSiteUrl, servers.api.url, client);
      await recordSeedCase(testInfo, `disallowed (${client})`, result, engineName, corsPage, servers.api.url);

      expect(result).toEqual({ outcome: 'error', ...blockedMessage(servers.untrustedSiteUrl) });
      const url = `${servers.api.url}/api/v1/users/me`;
      expect(corsBlocks(engineName, corsPage.messages())).toContainEqual(
        expect.objectContaining({
          reason: 'missing-allow-origin',
          url,
          ...(NAMES_ORIGIN[engineName] ? { origin: servers.untrustedSiteUrl } : {}),
        }),
      );
      // The browser blocked it because the API refused: the answer had no allow-origin.
      const call = servers.api.exchangeLog.entries().find((e) => e.url === '/api/v1/users/me');
      expect(call).toMatchObject({ origin: servers.untrustedSiteUrl, status: 200 });
      expect(call?.responseHeaders).not.toHaveProperty('access-control-allow-origin');
      expect(call?.responseHeaders['vary']).toMatch(/\bOrigin\b/);
    });

    test('unauthenticated: a trusted origin without a session is told to sign in', async ({
      corsPage, servers, engineName,
    }, testInfo) => {
      const result = await corsPage.test(servers.trustedSiteUrl, servers.api.url, client);
      await recordSeedCase(testInfo, `unauthenticated (${client})`, result, engineName, corsPage, servers.api.url);

      expect(result).toEqual({ outcome: 'error', title: 'Invalid session', message: LOGIN_HINT });
      expect(corsBlocks(engineName, corsPage.messages())).toEqual([]);
      const call = servers.api.exchangeLog.entries().find((e) => e.url === '/api/v1/users/me');
      expect(call).toMatchObject({ cookieSent: false, status: 403 });
      expect(call?.responseHeaders['access-control-allow-origin']).toBe(servers.trustedSiteUrl);
    });

    test('unauthenticated, when the 403 carries no CORS headers: the page can only say blocked', async ({
      corsPage, serversErrorsWithoutCors: servers, engineName,
    }, testInfo) => {
      const result = await corsPage.test(servers.trustedSiteUrl, servers.api.url, client);
      await recordSeedCase(testInfo, `unauthenticated, 403 without CORS headers (${client})`, result, engineName, corsPage, servers.api.url);

      expect(result).toEqual({ outcome: 'error', ...blockedMessage(servers.trustedSiteUrl) });
      expect(corsBlocks(engineName, corsPage.messages())).toContainEqual(
        expect.objectContaining({ reason: 'missing-allow-origin', url: `${servers.api.url}/api/v1/users/me` }),
      );
    });
  });
}
