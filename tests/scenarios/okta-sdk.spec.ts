/**
 * Okta's own browser SDK (@okta/okta-auth-js 8) end to end, on the SDK page, in whichever
 * engine runs it: sign-in, the Okta session, tokens silently (hidden iframe) and by redirect
 * with PKCE, user info, revoke, sign-out, and the refusals (an untrusted origin, a redirect URI
 * not registered, a wrong PKCE verifier). Each test checks what the SDK returned, what the
 * engine reported and what the API saw, and records a `cors-case` for the matrix's SDK rows.
 * Steps that start signed in but are not about signing in get the org's cookie through the
 * engine's jar (openSdkSignedIn); the sign-in, session and silent-token tests sign in on the page.
 * Every URL comes from the servers object, so the scenarios follow the servers' topology.
 */
import type { TestInfo } from '@playwright/test';
import type { Exchange } from '../../servers/okta-api/exchange-log.js';
import type { RunningServers } from '../../servers/start.js';
import { corsBlocks, NAMES_ORIGIN, onPreflight, type CorsBlock } from '../framework/cors/reason-catalog.js';
import { TOPOLOGY_NAMES, type TopologyName } from '../../servers/topology/topologies.js';
import type { Engine, EngineName } from '../framework/engines/engine.js';
import { blocksOfCall, recordObservedCase } from '../framework/reporting/cors-record.js';
import { OktaSdkPage, type SdkResult } from '../pages/okta-sdk-page.js';
import { expect, test, type TestFixtures } from '../fixtures/fixtures.js';
import { sendsOrgCookie } from './cookie-expectations.js';

const AREA = 'okta-sdk';
const ISSUER = '/oauth2/default';

test.describe.configure({ mode: 'parallel' });

/** The API's exchanges for `path` (without query) in this test, from the `from`th on. */
function seen(servers: RunningServers, method: string, path: string, from = 0): Exchange[] {
  return servers.api.exchangeLog.entries().slice(from).filter((e) => e.method === method && e.url.split('?')[0] === path);
}

/** How many exchanges the API has seen in this test: a mark to read later ones from. */
const mark = (servers: RunningServers): number => servers.api.exchangeLog.entries().length;

/**
 * The preflight (in this test) that lets `method path` through: one asking for that method, or
 * one whose cached answer allows it (engines reuse a preflight for every method it allowed).
 */
function preflightOf(servers: RunningServers, method: string, path: string): Exchange | undefined {
  const allows = (e: Exchange) =>
    e.requestHeaders['access-control-request-method'] === method ||
    (e.responseHeaders['access-control-allow-methods'] ?? '').split(',').map((m) => m.trim()).includes(method);
  return seen(servers, 'OPTIONS', path).find((e) => e.preflight && allows(e));
}

/**
 * An SDK call across origins as the API saw it since `from`: answered for `origin`, cookie or
 * not, and preflighted in this test (engines cache a preflight, so a repeat may not send one).
 */
function expectCorsCall(servers: RunningServers, method: string, path: string, expected: { origin: string; status: number; cookieSent: boolean; from?: number }): void {
  const preflight = preflightOf(servers, method, path);
  expect(preflight, `a preflight before ${method} ${path}`).toMatchObject({ origin: expected.origin, status: 204, cookieSent: false });
  expect(preflight?.responseHeaders['access-control-allow-origin']).toBe(expected.origin);
  const calls = seen(servers, method, path, expected.from);
  expect(calls.length, `${method} ${path} reached the API`).toBeGreaterThan(0);
  const call = calls[calls.length - 1];
  expect(call).toMatchObject({ origin: expected.origin, status: expected.status, cookieSent: expected.cookieSent });
  expect(call?.responseHeaders['access-control-allow-origin']).toBe(expected.origin);
  expect(call?.responseHeaders['vary']).toMatch(/\bOrigin\b/);
}

/**
 * Records the test's case: readable, or blocked with the engine's reason; for the calls that
 * need the org's session, whether the engine let its cookie go.
 */
function recordSdkCase(testInfo: TestInfo, caseName: string, blocks: readonly CorsBlock[] = [], cookieSent?: boolean): void {
  const cookie = cookieSent === undefined ? {} : { cookie: cookieSent ? ('sent' as const) : ('withheld' as const) };
  const reason = blocks[0]?.reason ?? (cookieSent === false ? 'third-party-cookie-withheld' : null);
  recordObservedCase(testInfo, { area: AREA, case: caseName, outcome: blocks.length > 0 ? 'blocked' : 'readable', reason, ...cookie }, blocks);
}

/** Whether the engine's third-party-cookie policy lets the org's cookie go from the trusted site's pages. */
const orgCookieGoes = (engine: Engine, servers: RunningServers): boolean =>
  sendsOrgCookie(engine.info.siteAccess?.cookiePolicy.id, servers.topology.relation.trustedSite);

const ok = (value: unknown): SdkResult => ({ outcome: 'ok', value });

const settingsFor = (servers: RunningServers, redirectUri?: string) => ({ orgUrl: servers.api.url, clientId: servers.api.oidcApp.clientId, ...(redirectUri ? { redirectUri } : {}) });

/** Opens the SDK page on `site` for the org's app. */
async function openSdk(sdk: OktaSdkPage, servers: RunningServers, site: string, redirectUri?: string): Promise<void> {
  await sdk.open(site, settingsFor(servers, redirectUri));
}

type SignInThroughJar = TestFixtures['signInThroughJar'];

/**
 * For the steps that start signed in but are not about signing in: the org's session cookie goes
 * into the engine's jar as the org set it (authn and sessionCookieRedirect from Node, to the SDK
 * page), then the SDK page opens. Signing in with the SDK, and the session it starts, have
 * their own tests (sign in, session, silent tokens), which sign in on the page.
 */
async function openSdkSignedIn(sdk: OktaSdkPage, servers: RunningServers, signInThroughJar: SignInThroughJar, redirectUri?: string): Promise<void> {
  await signInThroughJar(OktaSdkPage.url(servers.trustedSiteUrl, settingsFor(servers, redirectUri)));
  await openSdk(sdk, servers, servers.trustedSiteUrl, redirectUri);
}

/** Signs in with credentials, then starts the Okta session with the session token (a redirect). */
async function signInWithSession(sdk: OktaSdkPage, account: { login: string; password: string }): Promise<void> {
  await sdk.fillCredentials(account.login, account.password);
  expect(await sdk.run('sign-in')).toEqual(ok({ status: 'SUCCESS', sessionToken: true, login: account.login }));
  expect(await sdk.runThroughRedirect('session-cookie')).toEqual(ok({ returned: true, state: null }));
}

/**
 * Signed in (through the jar) with tokens got by redirect: the state most steps start from. The
 * redirect flow needs no third-party cookie, so it works in every topology and cookie policy.
 */
async function withTokens(sdk: OktaSdkPage, servers: RunningServers, signInThroughJar: SignInThroughJar): Promise<void> {
  await openSdkSignedIn(sdk, servers, signInThroughJar);
  expect(await sdk.runThroughRedirect('tokens-redirect')).toEqual(ok({ returned: true, code: true }));
  expect((await sdk.run('redirect-finish')).outcome).toBe('ok');
}

/** The engine reported no CORS block while the page ran. */
const noBlocks = (sdk: OktaSdkPage, engine: EngineName) => expect(corsBlocks(engine, sdk.messages())).toEqual([]);

function signInScenario(): void {
  test('sign in with credentials: POST /api/v1/authn, preflighted, answers the session token', async ({ enginePage, topologyServers: servers, account, engineName }, testInfo) => {
    const sdk = new OktaSdkPage(enginePage);
    await openSdk(sdk, servers, servers.trustedSiteUrl);
    await sdk.fillCredentials(account.login, account.password);
    const result = await sdk.run('sign-in');
    recordSdkCase(testInfo, 'signInWithCredentials');

    expect(result).toEqual(ok({ status: 'SUCCESS', sessionToken: true, login: account.login }));
    noBlocks(sdk, engineName);
    expectCorsCall(servers, 'POST', '/api/v1/authn', { origin: servers.trustedSiteUrl, status: 200, cookieSent: false });
    const preflight = preflightOf(servers, 'POST', '/api/v1/authn');
    expect(preflight?.requestHeaders['access-control-request-headers']).toMatch(/x-okta-user-agent-extended/);
  });
}

function sessionScenario(): void {
  test('session: none before the cookie; exists, get, refresh and close with it, where the engine sends the cookie', async ({ enginePage, topologyServers: servers, account, engine, engineName }, testInfo) => {
    const sdk = new OktaSdkPage(enginePage);
    await openSdk(sdk, servers, servers.trustedSiteUrl);
    expect(await sdk.run('session-exists')).toEqual(ok(false));
    expect(seen(servers, 'GET', '/api/v1/sessions/me')).toEqual([expect.objectContaining({ status: 404, cookieSent: false })]);

    await signInWithSession(sdk, account);
    const signedIn = mark(servers);
    const goes = orgCookieGoes(engine, servers);
    const exists = await sdk.run('session-exists');
    expectCorsCall(servers, 'GET', '/api/v1/sessions/me', { origin: servers.trustedSiteUrl, status: goes ? 200 : 404, cookieSent: goes, from: signedIn });
    noBlocks(sdk, engineName);
    recordSdkCase(testInfo, 'session exists/get/refresh/close', [], goes);
    if (!goes) {
      // The engine keeps the org's cookie from a cross-site call: to the SDK there is no session.
      expect(exists).toEqual(ok(false));
      expect(await sdk.run('session-get')).toEqual(ok({ status: 'INACTIVE', login: null, userId: null, expiresAt: null }));
      return;
    }
    expect(exists).toEqual(ok(true));
    const got = await sdk.run('session-get');
    expect(got).toEqual(ok({ status: 'ACTIVE', login: account.login, userId: servers.api.account.user.id, expiresAt: expect.any(String) }));
    const refreshed = await sdk.run('session-refresh');
    expect(refreshed).toEqual(ok({ status: 'ACTIVE', login: account.login, userId: servers.api.account.user.id, expiresAt: expect.any(String) }));
    expectCorsCall(servers, 'POST', '/api/v1/sessions/me/lifecycle/refresh', { origin: servers.trustedSiteUrl, status: 200, cookieSent: true });

    expect((await sdk.run('session-close')).outcome).toBe('ok');
    expectCorsCall(servers, 'DELETE', '/api/v1/sessions/me', { origin: servers.trustedSiteUrl, status: 204, cookieSent: true });
    expect(await sdk.run('session-exists')).toEqual(ok(false));
    noBlocks(sdk, engineName);
  });
}

function silentTokensScenario(): void {
  test('tokens without a prompt: the hidden iframe carries the session cookie where the engine lets it, the code is exchanged with PKCE', async ({ enginePage, topologyServers: servers, account, engine, engineName }, testInfo) => {
    const sdk = new OktaSdkPage(enginePage);
    await openSdk(sdk, servers, servers.trustedSiteUrl);
    await signInWithSession(sdk, account);
    const from = mark(servers);
    const result = await sdk.run('tokens-silent');
    const goes = orgCookieGoes(engine, servers);
    recordSdkCase(testInfo, 'token.getWithoutPrompt', [], goes);

    noBlocks(sdk, engineName);
    const authorize = seen(servers, 'GET', `${ISSUER}/v1/authorize`, from);
    expect(authorize).toEqual([expect.objectContaining({ status: 200, cookieSent: goes, preflight: false })]);
    expect(authorize[0]?.url).toMatch(/[?&]prompt=none(&|$)/);
    expect(authorize[0]?.url).toMatch(/[?&]response_mode=okta_post_message(&|$)/);
    expect(authorize[0]?.url).toMatch(/[?&]code_challenge_method=S256(&|$)/);
    if (!goes) {
      // The frame is a third party: without the cookie the org answers login_required, and no code.
      expect(result).toEqual({ outcome: 'error', error: expect.objectContaining({ name: 'OAuthError', errorCode: 'login_required' }) });
      expect(seen(servers, 'POST', `${ISSUER}/v1/token`, from)).toEqual([]);
      return;
    }
    const { user } = servers.api.account;
    expect(result).toEqual(ok({
      // The SDK leaves access tokens opaque (they are for the resource server) unless told to decode them.
      accessToken: { scopes: ['openid', 'profile', 'email', 'offline_access'], expiresAt: expect.any(Number) },
      idToken: { claims: expect.objectContaining({ sub: user.id, email: user.profile.email, iss: `${servers.api.url}${ISSUER}`, aud: servers.api.oidcApp.clientId }) },
      refreshToken: true,
    }));
    expectCorsCall(servers, 'POST', `${ISSUER}/v1/token`, { origin: servers.trustedSiteUrl, status: 200, cookieSent: false, from });
    // The ID token's signature is checked against the public keys, read with `*` and no credentials.
    expect(seen(servers, 'GET', `${ISSUER}/v1/keys`, from).at(-1)).toMatchObject({ status: 200, cookieSent: false, responseHeaders: expect.objectContaining({ 'access-control-allow-origin': '*' }) });
  });
}

function redirectTokensScenario(): void {
  test('tokens by redirect with PKCE: authorize at the top level, back on /login/callback, the code exchanged', async ({ enginePage, topologyServers: servers, signInThroughJar, engineName }, testInfo) => {
    const sdk = new OktaSdkPage(enginePage);
    await openSdkSignedIn(sdk, servers, signInThroughJar);
    const from = mark(servers);
    expect(await sdk.runThroughRedirect('tokens-redirect')).toEqual(ok({ returned: true, code: true }));
    expect(await sdk.url()).toMatch(new RegExp(`^${servers.trustedSiteUrl}/login/callback\\?code=`));
    const result = await sdk.run('redirect-finish');
    recordSdkCase(testInfo, 'token.getWithRedirect + parseFromUrl');

    expect(result).toEqual(ok(expect.objectContaining({
      idToken: { claims: expect.objectContaining({ sub: servers.api.account.user.id, aud: servers.api.oidcApp.clientId }) },
      refreshToken: true,
    })));
    noBlocks(sdk, engineName);
    const authorize = seen(servers, 'GET', `${ISSUER}/v1/authorize`, from);
    expect(authorize).toEqual([expect.objectContaining({ status: 302, cookieSent: true, preflight: false })]);
    // No response_mode: the code comes back in the query, the default for the code flow.
    expect(authorize[0]?.url).not.toMatch(/[?&]response_mode=/);
    expectCorsCall(servers, 'POST', `${ISSUER}/v1/token`, { origin: servers.trustedSiteUrl, status: 200, cookieSent: false, from });
  });
}

function userInfoScenario(): void {
  test('user info with the access token: Bearer, preflighted, no cookie', async ({ enginePage, topologyServers: servers, signInThroughJar, engineName }, testInfo) => {
    const sdk = new OktaSdkPage(enginePage);
    await withTokens(sdk, servers, signInThroughJar);
    const from = mark(servers);
    const result = await sdk.run('user-info');
    recordSdkCase(testInfo, 'token.getUserInfo');

    const { user } = servers.api.account;
    expect(result).toEqual(ok(expect.objectContaining({ sub: user.id, email: user.profile.email, preferred_username: user.profile.login })));
    noBlocks(sdk, engineName);
    expectCorsCall(servers, 'GET', `${ISSUER}/v1/userinfo`, { origin: servers.trustedSiteUrl, status: 200, cookieSent: false, from });
    expect(seen(servers, 'GET', `${ISSUER}/v1/userinfo`, from)[0]?.requestHeaders.authorization).toBe('Bearer <redacted>');
  });
}

function revokeScenario(): void {
  test('revoke: the access token stops working (user info then answers 401 invalid_token)', async ({ enginePage, topologyServers: servers, signInThroughJar, engineName }, testInfo) => {
    const sdk = new OktaSdkPage(enginePage);
    await withTokens(sdk, servers, signInThroughJar);
    const from = mark(servers);
    const result = await sdk.run('revoke');
    recordSdkCase(testInfo, 'revokeAccessToken');

    expect(result).toEqual(ok({ revoked: true }));
    expectCorsCall(servers, 'POST', `${ISSUER}/v1/revoke`, { origin: servers.trustedSiteUrl, status: 200, cookieSent: false, from });
    const after = await sdk.run('user-info-revoked');
    expect(after).toEqual({ outcome: 'error', error: expect.objectContaining({ name: 'OAuthError', errorCode: 'invalid_token', errorSummary: 'The access token is invalid.' }) });
    expectCorsCall(servers, 'GET', `${ISSUER}/v1/userinfo`, { origin: servers.trustedSiteUrl, status: 401, cookieSent: false, from });
    noBlocks(sdk, engineName);
  });
}

function signOutScenario(): void {
  test('sign out: tokens revoked, the session ended at logout, back on the SDK page', async ({ enginePage, topologyServers: servers, signInThroughJar, engineName }, testInfo) => {
    const sdk = new OktaSdkPage(enginePage);
    await withTokens(sdk, servers, signInThroughJar);
    const from = mark(servers);
    const result = await sdk.runThroughRedirect('sign-out');
    recordSdkCase(testInfo, 'signOut');

    expect(result).toEqual(ok({ returned: true, state: null }));
    expect(await sdk.url()).toBe(`${servers.trustedSiteUrl}/sdk.html`);
    expect(seen(servers, 'POST', `${ISSUER}/v1/revoke`, from).map((e) => e.status)).toEqual([200, 200]);
    expect(seen(servers, 'GET', `${ISSUER}/v1/logout`, from)).toEqual([expect.objectContaining({ status: 302, cookieSent: true })]);
    expect(await sdk.run('session-exists')).toEqual(ok(false));
    noBlocks(sdk, engineName);
  });
}

function untrustedSignInScenario(): void {
  test('refused: an untrusted origin cannot sign in; the engine blocks the preflight, the POST never leaves', async ({ enginePage, topologyServers: servers, account, engineName }, testInfo) => {
    const sdk = new OktaSdkPage(enginePage);
    await openSdk(sdk, servers, servers.untrustedSiteUrl);
    await sdk.fillCredentials(account.login, account.password);
    const result = await sdk.run('sign-in');
    const url = `${servers.api.url}/api/v1/authn`;
    const blocks = await blocksOfCall(engineName, () => sdk.messages(), url);
    recordSdkCase(testInfo, 'signInWithCredentials from an untrusted origin', blocks);

    expect(result).toEqual({ outcome: 'error', error: expect.objectContaining({ name: 'AuthApiError', errorCode: null, status: null }) });
    expect(blocks).toContainEqual(expect.objectContaining({
      reason: onPreflight(engineName, 'missing-allow-origin'), url, ...(NAMES_ORIGIN[engineName] ? { origin: servers.untrustedSiteUrl } : {}),
    }));
    const preflight = preflightOf(servers, 'POST', '/api/v1/authn');
    expect(preflight).toMatchObject({ origin: servers.untrustedSiteUrl, status: 204 });
    expect(preflight?.responseHeaders).not.toHaveProperty('access-control-allow-origin');
    expect(preflight?.responseHeaders['vary']).toMatch(/\bOrigin\b/);
    expect(seen(servers, 'POST', '/api/v1/authn')).toEqual([]);
  });
}

function untrustedSessionScenario(): void {
  test('refused: an untrusted origin cannot read the Okta session; the SDK reports no session, the engine blocks', async ({ enginePage, topologyServers: servers, signInThroughJar, engineName }, testInfo) => {
    const sdk = new OktaSdkPage(enginePage);
    await signInThroughJar(OktaSdkPage.url(servers.trustedSiteUrl, settingsFor(servers)));
    await openSdk(sdk, servers, servers.untrustedSiteUrl);
    const from = mark(servers);
    const result = await sdk.run('session-exists');
    const url = `${servers.api.url}/api/v1/sessions/me`;
    const blocks = await blocksOfCall(engineName, () => sdk.messages(), url);
    recordSdkCase(testInfo, 'session.exists from an untrusted origin', blocks);

    // The SDK turns every failure of sessions/me into "no session": only the engine says why.
    expect(result).toEqual(ok(false));
    expect(blocks).toContainEqual(expect.objectContaining({ reason: onPreflight(engineName, 'missing-allow-origin'), url }));
    const preflight = seen(servers, 'OPTIONS', '/api/v1/sessions/me', from)[0];
    expect(preflight).toMatchObject({ origin: servers.untrustedSiteUrl, preflight: true, status: 204 });
    expect(preflight?.responseHeaders).not.toHaveProperty('access-control-allow-origin');
    expect(seen(servers, 'GET', '/api/v1/sessions/me', from)).toEqual([]);
  });
}

function unregisteredRedirectScenario(): void {
  test('refused: a redirect URI the app does not list ends on the org\'s error page, no code issued', async ({ enginePage, topologyServers: servers, signInThroughJar, engineName }, testInfo) => {
    const sdk = new OktaSdkPage(enginePage);
    const unregistered = `${servers.trustedSiteUrl}/not-registered`;
    await openSdkSignedIn(sdk, servers, signInThroughJar, unregistered);
    const from = mark(servers);
    const result = await sdk.runThroughRedirect('tokens-redirect');
    recordSdkCase(testInfo, 'token.getWithRedirect to an unregistered redirect URI');

    expect(result).toEqual({
      url: expect.stringMatching(new RegExp(`^${servers.api.url}${ISSUER}/v1/authorize\\?`)),
      error: 'invalid_request',
      description: "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.",
    });
    expect(seen(servers, 'GET', `${ISSUER}/v1/authorize`, from)).toEqual([expect.objectContaining({ status: 400, cookieSent: true })]);
    expect(seen(servers, 'GET', `${ISSUER}/v1/authorize`, from)[0]?.responseHeaders).not.toHaveProperty('location');
    noBlocks(sdk, engineName);
  });
}

function wrongVerifierScenario(): void {
  test('refused: a wrong PKCE verifier; the token endpoint answers invalid_grant, readable by the page', async ({ enginePage, topologyServers: servers, signInThroughJar, engineName }, testInfo) => {
    const sdk = new OktaSdkPage(enginePage);
    await openSdkSignedIn(sdk, servers, signInThroughJar);
    expect(await sdk.runThroughRedirect('tokens-redirect')).toEqual(ok({ returned: true, code: true }));
    const from = mark(servers);
    const result = await sdk.run('redirect-wrong-verifier');
    recordSdkCase(testInfo, 'exchangeCodeForTokens with a wrong PKCE verifier');

    expect(result).toEqual({ outcome: 'error', error: { name: 'OAuthError', errorCode: 'invalid_grant', errorSummary: 'PKCE verification failed.', status: null } });
    expectCorsCall(servers, 'POST', `${ISSUER}/v1/token`, { origin: servers.trustedSiteUrl, status: 400, cookieSent: false, from });
    noBlocks(sdk, engineName);
  });
}
const SCENARIOS = [
  signInScenario, sessionScenario, silentTokensScenario, redirectTokensScenario, userInfoScenario, revokeScenario, signOutScenario,
  untrustedSignInScenario, untrustedSessionScenario, unregisteredRedirectScenario, wrongVerifierScenario,
];

function sdkScenarios(topology: TopologyName): void {
  test.use({ topology });
  test.describe('Okta SDK', () => {
    for (const scenario of SCENARIOS) scenario();
  });
}

// Same-site: the suite's default, titled as always; then across sites and on a custom domain,
// where the engine's third-party-cookie policy decides what needs the org's session.
sdkScenarios('same-site');
for (const topology of TOPOLOGY_NAMES.filter((t) => t !== 'same-site')) {
  test.describe(`${topology} topology`, () => sdkScenarios(topology));
}
