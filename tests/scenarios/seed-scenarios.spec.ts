/**
 * The seed's three scenarios (Okta's "Enabling CORS" test tool): allowed, disallowed and
 * unauthenticated, with each of the page's three clients, in whichever engine runs them, in
 * each topology (servers/topology/): same-site (the default), and over HTTPS with the org on
 * another site (cross-site) or on a custom domain under the app's site (custom-domain). Across
 * sites, whether the session goes is the engine's cookie policy's call (cookie-expectations.ts).
 */
import type { TestInfo } from '@playwright/test';
import type { OktaUser } from '../../servers/okta-api/users.js';
import type { RunningServers } from '../../servers/start.js';
import { TOPOLOGY_NAMES, type SiteRelation, type TopologyName } from '../../servers/topology/topologies.js';
import type { Engine } from '../framework/engines/engine.js';
import type { EngineName } from '../framework/engines/engine.js';
import { corsBlocks, NAMES_ORIGIN } from '../framework/cors/reason-catalog.js';
import { clientAnnotation, severityAnnotation } from '../framework/reporting/annotations.js';
import { recordTestPageCase } from '../framework/reporting/cors-record.js';
import { blockedMessage, CLIENTS, LOGIN_HINT, type Client, type CorsTestPage, type ProfileField, type TestResult } from '../pages/cors-test-page.js';
import { expect, test } from '../fixtures/fixtures.js';
import { sendsOrgCookie } from './cookie-expectations.js';

/** The reporting hook: what the page showed, the engine's reason and whether the cookie went, for the matrix. */
const recordSeedCase = (
  testInfo: TestInfo,
  caseName: string,
  result: TestResult,
  engine: EngineName,
  corsPage: CorsTestPage,
  apiUrl: string,
  cookie?: { went: 'sent' | 'withheld'; reason?: 'third-party-cookie-withheld' },
) =>
  recordTestPageCase(testInfo, {
    area: 'seed',
    case: caseName,
    engine,
    messages: () => corsPage.messages(),
    url: `${apiUrl}/api/v1/users/me`,
    result,
    ...(cookie ? { cookie } : {}),
  });

/** The API's record of the page's call to /api/v1/users/me. */
const usersMeCall = (servers: RunningServers) => servers.api.exchangeLog.entries().find((e) => e.url === '/api/v1/users/me');

/** Whether the table says this engine's policy lets the org's cookie go from a page so related to the org. */
const cookieExpected = (engine: Engine, relation: SiteRelation): boolean => sendsOrgCookie(engine.info.siteAccess?.cookiePolicy.id, relation);

/** After a signed-in call: whether the cookie went, and why not when it was withheld. */
const cookieObserved = (sent: boolean | undefined) =>
  sent === true ? { went: 'sent' as const } : { went: 'withheld' as const, reason: 'third-party-cookie-withheld' as const };

/**
 * Signs in on the org's own page, top-level (a first-party visit, as a person signs in), then
 * runs the page's Test from `siteUrl` and records the case.
 */
async function signedInTest(
  { corsPage, servers, account, engineName }: { corsPage: CorsTestPage; servers: RunningServers; account: { login: string; password: string }; engineName: EngineName },
  testInfo: TestInfo,
  siteUrl: string,
  client: Client,
  caseName: string,
): Promise<{ result: TestResult; call: ReturnType<typeof usersMeCall> }> {
  await corsPage.signIn(servers.api.url, account.login, account.password);
  const result = await corsPage.test(siteUrl, servers.api.url, client);
  const call = usersMeCall(servers);
  await recordSeedCase(testInfo, caseName, result, engineName, corsPage, servers.api.url, cookieObserved(call?.cookieSent));
  return { result, call };
}

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

/** Okta's guide, step by step: sign in on the org's page, then the trusted site's Test. */
function allowedScenario(client: Client): void {
  test('allowed: a signed-in user on a trusted origin sees their profile', async ({
    corsPage, topologyServers: servers, account, engine, engineName,
  }, testInfo) => {
    const { result, call } = await signedInTest({ corsPage, servers, account, engineName }, testInfo, servers.trustedSiteUrl, client, `allowed (${client})`);

    expect(corsBlocks(engineName, corsPage.messages())).toEqual([]);
    expect(call?.responseHeaders['access-control-allow-origin']).toBe(servers.trustedSiteUrl);
    expect(call?.responseHeaders['access-control-allow-credentials']).toBe('true');
    if (cookieExpected(engine, servers.topology.relation.trustedSite)) {
      expect(call).toMatchObject({ origin: servers.trustedSiteUrl, cookieSent: true, status: 200 });
      expect(result).toEqual({ outcome: 'profile', profile: profileOf(servers.api.account.user) });
    } else {
      // The engine withheld the org's cookie: CORS let the page read the API's 403.
      expect(call).toMatchObject({ origin: servers.trustedSiteUrl, cookieSent: false, status: 403 });
      expect(result).toEqual({ outcome: 'error', title: 'Invalid session', message: LOGIN_HINT });
    }
  });
}

function disallowedScenario(client: Client): void {
  test('disallowed: a signed-in user on an untrusted origin is blocked by the browser', async ({
    corsPage, topologyServers: servers, account, engine, engineName,
  }, testInfo) => {
    const { result, call } = await signedInTest({ corsPage, servers, account, engineName }, testInfo, servers.untrustedSiteUrl, client, `disallowed (${client})`);

    expect(result).toEqual({ outcome: 'error', ...blockedMessage(servers.untrustedSiteUrl) });
    const url = `${servers.api.url}/api/v1/users/me`;
    expect(corsBlocks(engineName, corsPage.messages())).toContainEqual(
      expect.objectContaining({
        reason: 'missing-allow-origin',
        url,
        ...(NAMES_ORIGIN[engineName] ? { origin: servers.untrustedSiteUrl } : {}),
      }),
    );
    // The browser blocked it because the API refused: the answer had no allow-origin
    // (a 200 when the session came along, a 403 when the engine withheld it).
    const sent = cookieExpected(engine, servers.topology.relation.untrustedSite);
    expect(call).toMatchObject({ origin: servers.untrustedSiteUrl, cookieSent: sent, status: sent ? 200 : 403 });
    expect(call?.responseHeaders).not.toHaveProperty('access-control-allow-origin');
    expect(call?.responseHeaders['vary']).toMatch(/\bOrigin\b/);
  });
}

function unauthenticatedScenario(client: Client): void {
  test('unauthenticated: a trusted origin without a session is told to sign in', async ({
    corsPage, topologyServers: servers, engineName,
  }, testInfo) => {
    const result = await corsPage.test(servers.trustedSiteUrl, servers.api.url, client);
    await recordSeedCase(testInfo, `unauthenticated (${client})`, result, engineName, corsPage, servers.api.url);

    expect(result).toEqual({ outcome: 'error', title: 'Invalid session', message: LOGIN_HINT });
    expect(corsBlocks(engineName, corsPage.messages())).toEqual([]);
    expect(usersMeCall(servers)).toMatchObject({ cookieSent: false, status: 403 });
    expect(usersMeCall(servers)?.responseHeaders['access-control-allow-origin']).toBe(servers.trustedSiteUrl);
  });
}

/** Okta's other documented behaviour, modelled only by the same-site servers. */
function unauthenticatedWithoutCorsScenario(client: Client): void {
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
}

function seedScenarios(topology: TopologyName): void {
  test.use({ topology });
  for (const client of CLIENTS) {
    // Critical: these flows are what Okta's "Enabling CORS" guide promises.
    test.describe(`${client} client`, { annotation: [clientAnnotation(client), severityAnnotation('critical')] }, () => {
      allowedScenario(client);
      disallowedScenario(client);
      unauthenticatedScenario(client);
      if (topology === 'same-site') unauthenticatedWithoutCorsScenario(client);
    });
  }
}

// Same-site: the suite's default, titled as always.
seedScenarios('same-site');
for (const topology of TOPOLOGY_NAMES.filter((t) => t !== 'same-site')) {
  test.describe(`${topology} topology`, () => seedScenarios(topology));
}
