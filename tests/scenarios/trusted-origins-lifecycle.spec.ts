/**
 * The seed's lifecycle of a Trusted Origin, seen through the browser: an admin changes the
 * list over the admin API (Playwright's `request`, SSWS token) and the CORS test page,
 * signed in, shows whether the next call is allowed. Each test gets origins of its own
 * (`servers.openSite()`) and deletes what it created, so tests never see each other's.
 */
import type { TestInfo } from '@playwright/test';
import type { Exchange } from '../../servers/okta-api/exchange-log.js';
import type { RunningServers } from '../../servers/start.js';
import type { EngineName } from '../framework/engines/engine.js';
import { corsBlocks, onPreflight } from '../framework/cors/reason-catalog.js';
import { readClient, recordClient } from '../framework/reporting/annotations.js';
import { blocksOfCall } from '../framework/reporting/cors-record.js';
import { blockedMessage, type Client, type CorsTestPage } from '../pages/cors-test-page.js';
import { expect, test as base } from '../fixtures/fixtures.js';
import { adminFixture } from '../fixtures/api-servers.js';
import { expectOktaError, TrustedOriginsAdmin } from '../framework/okta/trusted-origins-admin-client.js';

const test = base.extend<{ admin: TrustedOriginsAdmin; check: CorsCheck }>({
  admin: adminFixture,
  check: async ({ corsPage, servers, engineName, signInThroughJar }, use, testInfo) => {
    // Signed in, so a block is CORS's doing and not a missing session; how is not what these tests
    // check (the seed scenarios sign in on the org's page).
    await signInThroughJar(servers.trustedSiteUrl);
    await use(new CorsCheck(corsPage, servers, engineName, testInfo));
  },
});

const USERS_ME = '/api/v1/users/me';

/** Runs the page's Test from a site and asserts what the page, the engine and the API show. */
class CorsCheck {
  constructor(
    private readonly corsPage: CorsTestPage,
    private readonly servers: RunningServers,
    private readonly engineName: EngineName,
    private readonly testInfo: TestInfo,
  ) {}

  private async test(site: string, client: Client) {
    if (readClient(this.testInfo.annotations) !== client) recordClient(this.testInfo, client);
    return this.corsPage.test(site, this.servers.api.url, client);
  }

  /** The API's answer to the last call from `site`. */
  private lastCall(path: string, site: string): Exchange {
    const call = this.servers.api.exchangeLog.entries().filter((e) => e.url === path && e.origin === site && !e.preflight).at(-1);
    if (call === undefined) throw new Error(`the API saw no call to ${path} from ${site}`);
    return call;
  }

  async allowed(site: string, client: Client): Promise<void> {
    const seen = this.corsPage.messages().length;
    const result = await this.test(site, client);
    expect(result).toMatchObject({ outcome: 'profile', profile: { login: this.servers.api.account.user.profile.login } });
    expect(corsBlocks(this.engineName, this.corsPage.messages().slice(seen))).toEqual([]);
    const call = this.lastCall(USERS_ME, site);
    expect(call).toMatchObject({ status: 200, cookieSent: true });
    expect(call.responseHeaders['access-control-allow-origin']).toBe(site);
    expect(call.responseHeaders['access-control-allow-credentials']).toBe('true');
  }

  async blocked(site: string, client: Client): Promise<void> {
    const seen = this.corsPage.messages().length;
    const result = await this.test(site, client);
    expect(result).toEqual({ outcome: 'error', ...blockedMessage(site) });
    await this.expectMissingAllowOrigin(seen, USERS_ME);
    // Refused by the API (answered without allow-origin), then blocked by the engine.
    const call = this.lastCall(USERS_ME, site);
    expect(call.status).toBe(200);
    expect(call.responseHeaders).not.toHaveProperty('access-control-allow-origin');
    expect(call.responseHeaders['vary']).toMatch(/\bOrigin\b/);
  }

  /**
   * The engine reported a block for `path` since message number `seen`; `preflight`: the answer
   * without allow-origin was the preflight's (Chromium words that apart).
   */
  async expectMissingAllowOrigin(seen: number, path: string, preflight = false): Promise<void> {
    const url = `${this.servers.api.url}${path}`;
    const reason = preflight ? onPreflight(this.engineName, 'missing-allow-origin') : 'missing-allow-origin';
    const blocks = await blocksOfCall(this.engineName, () => this.corsPage.messages().slice(seen), url);
    expect(blocks).toContainEqual(expect.objectContaining({ reason, url }));
  }
}

const cors = [{ type: 'CORS' }];

test.describe.configure({ mode: 'parallel' });

test('an origin not yet trusted is blocked; once POSTed, it is allowed (xhr)', async ({ servers, admin, check }) => {
  const site = await servers.openSite();
  await check.blocked(site, 'xhr');

  const created = await admin.create({ name: `lifecycle ${site}`, origin: site, scopes: cors });
  expect(created).toMatchObject({ origin: site, status: 'ACTIVE', scopes: cors });

  await check.allowed(site, 'xhr');
});

test('a deactivated origin is blocked and still listed; activated again, it is allowed (jquery)', async ({
  servers, admin, check,
}) => {
  const site = await servers.openSite();
  const { id } = await admin.create({ name: `deactivate ${site}`, origin: site, scopes: cors });
  await check.allowed(site, 'jquery');

  expect(await admin.deactivate(id)).toMatchObject({ id, status: 'INACTIVE' });
  await check.blocked(site, 'jquery');
  expect(await admin.list({ filter: `origin eq "${site}"` })).toEqual([
    expect.objectContaining({ id, origin: site, status: 'INACTIVE', scopes: cors }),
  ]);

  expect(await admin.activate(id)).toMatchObject({ id, status: 'ACTIVE' });
  await check.allowed(site, 'jquery');
});

test('a REDIRECT-only origin is blocked for CORS; once PUT with CORS, it is allowed (fetch)', async ({
  servers, admin, check,
}) => {
  const site = await servers.openSite();
  const { id } = await admin.create({ name: `redirect ${site}`, origin: site, scopes: [{ type: 'REDIRECT' }] });
  await check.blocked(site, 'fetch');

  await admin.replace(id, { name: `redirect ${site}`, origin: site, scopes: [{ type: 'REDIRECT' }, { type: 'CORS' }] });
  await check.allowed(site, 'fetch');
});

test('a deleted origin is blocked and gone (xhr)', async ({ servers, admin, check }) => {
  const site = await servers.openSite();
  const { id } = await admin.create({ name: `delete ${site}`, origin: site, scopes: cors });
  await check.allowed(site, 'xhr');

  await admin.delete(id);
  await check.blocked(site, 'xhr');
  await expectOktaError(await admin.getResponse(id), 404, 'E0000007', `Not found: Resource not found: ${id} (TrustedOrigin)`);
  expect(await admin.list({ filter: `origin eq "${site}"` })).toEqual([]);
});

test.describe('an origin that differs only by', () => {
  test('port is not trusted (fetch)', async ({ servers, admin, check }) => {
    const [site, neighbour] = [await servers.openSite(), await servers.openSite()];
    await admin.create({ name: `port ${neighbour}`, origin: neighbour, scopes: cors });
    await check.blocked(site, 'fetch');
    await check.allowed(neighbour, 'fetch'); // the entry itself works
  });

  test('scheme is not trusted (fetch)', async ({ servers, admin, check }) => {
    const site = await servers.openSite();
    const https = site.replace(/^http:/, 'https:');
    await admin.create({ name: `scheme ${https}`, origin: https, scopes: cors });
    await check.blocked(site, 'fetch');
  });

  test('host name (localhost for 127.0.0.1) is not trusted (fetch)', async ({ servers, admin, check }) => {
    const site = await servers.openSite();
    const localhost = site.replace('127.0.0.1', 'localhost');
    await admin.create({ name: `host ${localhost}`, origin: localhost, scopes: cors });
    await check.blocked(site, 'fetch');
  });

  test('a trailing slash is refused by the API and so not trusted (fetch)', async ({ servers, admin, check }) => {
    const site = await servers.openSite();
    await expectOktaError(
      await admin.createResponse({ name: `slash ${site}`, origin: `${site}/`, scopes: cors }),
      400, 'E0000001', 'Api validation failed: origin', ['origin: Origin value is not valid'],
    );
    expect(await admin.list({ filter: `name eq "slash ${site}"` })).toEqual([]);
    await check.blocked(site, 'fetch');
  });
});

test.describe('an API without CORS refuses even a trusted origin', () => {
  /** Calls `url` from the page with the session cookie; what the page's script got. */
  const fetchFromPage = (corsPage: CorsTestPage, url: string, headers: Record<string, string>) =>
    corsPage.page.evaluate<string>(
      `fetch(${JSON.stringify(url)}, { credentials: 'include', headers: ${JSON.stringify(headers)} })
        .then((r) => 'status ' + r.status, (e) => 'network error: ' + e.name)`,
    );

  test('GET /api/v1/org: answered without allow-origin, blocked by the engine', async ({
    servers, corsPage, check,
  }) => {
    const site = servers.trustedSiteUrl;
    await check.allowed(site, 'fetch'); // the same origin is trusted where CORS is supported

    const seen = corsPage.messages().length;
    expect(await fetchFromPage(corsPage, `${servers.api.url}/api/v1/org`, { Accept: 'application/json' })).toBe(
      'network error: TypeError',
    );
    await check.expectMissingAllowOrigin(seen, '/api/v1/org');
    const call = servers.api.exchangeLog.entries().find((e) => e.url === '/api/v1/org' && e.origin === site);
    expect(call).toMatchObject({ status: 200, cookieSent: true, preflight: false });
    expect(call?.responseHeaders).not.toHaveProperty('access-control-allow-origin');
    expect(call?.responseHeaders['vary']).toMatch(/\bOrigin\b/);
  });

  test('the admin API: its preflight is answered without allow-origin, the call never sent', async ({
    servers, corsPage, check,
  }) => {
    const site = servers.trustedSiteUrl;
    await check.allowed(site, 'fetch');

    const seen = corsPage.messages().length;
    const headers = { Accept: 'application/json', Authorization: `SSWS ${servers.api.adminToken}` };
    expect(await fetchFromPage(corsPage, `${servers.api.url}/api/v1/trustedOrigins`, headers)).toBe(
      'network error: TypeError',
    );
    await check.expectMissingAllowOrigin(seen, '/api/v1/trustedOrigins', true);
    const calls = servers.api.exchangeLog.entries().filter((e) => e.url === '/api/v1/trustedOrigins' && e.origin === site);
    expect(calls).toEqual([expect.objectContaining({ method: 'OPTIONS', preflight: true, status: 204 })]);
    expect(calls[0]?.responseHeaders).not.toHaveProperty('access-control-allow-origin');
    expect(calls[0]?.responseHeaders['vary']).toMatch(/\bOrigin\b/);
  });
});
