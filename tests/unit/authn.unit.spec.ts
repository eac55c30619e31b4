/**
 * Okta's programmatic sign-in in the mock, over HTTP only (no browser): POST /api/v1/authn and
 * GET /login/sessionCookieRedirect (servers/okta-api/authn.ts), then the helpers with which
 * tests/framework/okta/api-under-test-client.ts talks to any API under test. Runs in the `unit` project,
 * against servers this file starts itself (one set per worker) on real sockets.
 */
import cookieParser from 'cookie-parser';
import express from 'express';
import getPort from 'get-port';
import { expect } from '@playwright/test';
import { authnRoutes, SESSION_TOKEN_LIFETIME_MS } from '../../servers/okta-api/authn.js';
import { SESSION_COOKIE, SessionStore } from '../../servers/okta-api/sessions.js';
import { MemoryTrustedOriginStore } from '../../servers/okta-api/trusted-origins/store.js';
import { defaultAccount } from '../../servers/okta-api/users.js';
import { HOST, listen } from '../../servers/listen.js';
import type { RunningServers } from '../../servers/start.js';
import { apiTest as test } from '../fixtures/api-servers.js';
import { ApiUnderTestError, readApiUnderTestEnv } from '../framework/okta/api-under-test-env.js';
import { authenticate, checkApi, sessionCookies, trustOrigin, untrustOrigin, type ApiTarget } from '../framework/okta/api-under-test-client.js';
import { expectOktaError } from '../framework/okta/trusted-origins-admin-client.js';
import { orgOf, sessionToken as sessionTokenOf } from './oidc-http.js';
import { sendPreflight } from './preflight-http.js';


test.describe.configure({ mode: 'parallel' });

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** POST /api/v1/authn as Node's fetch sends it (JSON unless told otherwise). */
function postAuthn(api: string, body: string, contentType = 'application/json', origin?: string): Promise<Response> {
  return fetch(`${api}/api/v1/authn`, {
    method: 'POST',
    headers: { 'Content-Type': contentType, Accept: 'application/json', ...(origin === undefined ? {} : { Origin: origin }) },
    body,
  });
}

const sessionToken = (servers: RunningServers): Promise<string> => sessionTokenOf(orgOf(servers));

/** GET /login/sessionCookieRedirect without following the redirect; `query` is sent as given. */
function cookieRedirect(api: string, query: string, cookie?: string): Promise<Response> {
  return fetch(`${api}/login/sessionCookieRedirect${query}`, {
    redirect: 'manual',
    headers: cookie === undefined ? {} : { Cookie: cookie },
  });
}

const q = (params: Record<string, string>): string => `?${new URLSearchParams(params).toString()}`;

/** The `sid` cookie a response sets, whole (value and attributes), or undefined. */
const sidCookie = (response: Response): string | undefined =>
  response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));

/** An error page: status, the one message, no cookie, not cached. */
async function expectErrorPage(response: Response, status: number, message: string | RegExp): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  expect(response.headers.get('location')).toBeNull();
  expect(response.headers.getSetCookie()).toEqual([]);
  expect(response.headers.get('cache-control')).toBe('no-store');
  const shown = /<p id="session-cookie-redirect-error" role="alert">([^<]*)<\/p>/.exec(await response.text())?.[1];
  expect(shown?.replace(/&#39;/g, "'")).toMatch(typeof message === 'string' ? new RegExp(`^${escapeRegExp(message)}$`) : message);
}

/** toThrow with an Error compares the whole message, not a part of it. */
const exactly = (message: string): ApiUnderTestError => new ApiUnderTestError(message);

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What GET /api/v1/users/me answers with this cookie (from the trusted site, as the page calls it). */
async function usersMe(servers: RunningServers, cookie: string): Promise<{ status: number; login?: string }> {
  const response = await fetch(`${servers.api.url}/api/v1/users/me`, {
    headers: { Cookie: cookie, Origin: servers.trustedSiteUrl, Accept: 'application/json' },
  });
  const body = (await response.json()) as { profile?: { login: string } };
  return { status: response.status, ...(body.profile === undefined ? {} : { login: body.profile.login }) };
}

test.describe('POST /api/v1/authn', () => {
  test('the right username and password: SUCCESS with a one-time session token and the user', async ({ servers }) => {
    const { user, password } = servers.api.account;
    const before = Date.now();
    const response = await postAuthn(servers.api.url, JSON.stringify({ username: user.profile.login, password }));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('x-okta-request-id')).toMatch(/^[\w-]{20}$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { expiresAt: string };
    expect(body).toEqual({
      expiresAt: expect.stringMatching(ISO),
      status: 'SUCCESS',
      sessionToken: expect.stringMatching(/^20111[\w-]{36}$/),
      _embedded: {
        user: {
          id: user.id,
          passwordChanged: user.passwordChanged,
          profile: {
            login: user.profile.login,
            firstName: user.profile.firstName,
            lastName: user.profile.lastName,
            locale: 'en_US',
            timeZone: 'America/Los_Angeles',
          },
        },
      },
    });
    const expiresIn = Date.parse(body.expiresAt) - before;
    expect(expiresIn).toBeGreaterThan(SESSION_TOKEN_LIFETIME_MS - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(SESSION_TOKEN_LIFETIME_MS + 1_000);
  });

  test('a wrong password and an unknown user get the same 401 E0000004, and no token', async ({ request, servers }) => {
    const { user, password } = servers.api.account;
    for (const data of [
      { username: user.profile.login, password: `${password}x` },
      { username: 'nobody@example.com', password },
    ]) {
      const body = await expectOktaError(await request.post(`${servers.api.url}/api/v1/authn`, { data }), 401, 'E0000004', 'Authentication failed', []);
      expect(body).not.toHaveProperty('sessionToken');
    }
  });

  test('a body that is not a JSON object: 400 E0000003', async ({ servers }) => {
    const cases: [string, string, RegExp][] = [
      ['{"username": ', 'application/json', /^The body is not valid JSON/],
      ['username=a&password=b', 'application/x-www-form-urlencoded', /^Send \{"username", "password"\} as a JSON object/],
      ['{"username": "a", "password": "b"}', 'text/plain', /^Send \{"username", "password"\} as a JSON object/],
      ['["a", "b"]', 'application/json', /^The body must be a JSON object/],
    ];
    for (const [body, type, cause] of cases) {
      const response = await postAuthn(servers.api.url, body, type);
      expect(response.status, `${type}: ${body}`).toBe(400);
      expect(await response.json()).toMatchObject({
        errorCode: 'E0000003',
        errorSummary: 'The request body was not well-formed.',
        errorCauses: [{ errorSummary: expect.stringMatching(cause) }],
      });
    }
  });

  test('a blank or missing username or password: 400 E0000001, one cause each', async ({ request, servers }) => {
    const url = `${servers.api.url}/api/v1/authn`;
    const blank = (field: string) => `${field}: The field cannot be left blank`;
    await expectOktaError(await request.post(url, { data: {} }), 400, 'E0000001', 'Api validation failed: authRequest', [blank('username'), blank('password')]);
    await expectOktaError(await request.post(url, { data: { username: 'a', password: '' } }), 400, 'E0000001', 'Api validation failed: authRequest', [blank('password')]);
    await expectOktaError(await request.post(url, { data: { username: 7, password: 'x' } }), 400, 'E0000001', 'Api validation failed: authRequest', [blank('username')]);
  });

  test('another method: 405 E0000022', async ({ request, servers }) => {
    await expectOktaError(await request.get(`${servers.api.url}/api/v1/authn`), 405, 'E0000022', 'The endpoint does not support the provided HTTP method', ['GET is not supported here']);
  });

  test('CORS as Okta: a trusted origin may call it from a page, an untrusted one may not', async ({ servers }) => {
    const preflight = (origin: string) => sendPreflight(`${servers.api.url}/api/v1/authn`, origin, 'POST', 'content-type');
    const trusted = await preflight(servers.trustedSiteUrl);
    expect(trusted.status).toBe(204);
    expect(trusted.headers.get('access-control-allow-origin')).toBe(servers.trustedSiteUrl);
    expect(trusted.headers.get('access-control-allow-credentials')).toBe('true');
    expect(trusted.headers.get('access-control-allow-methods')).toMatch(/\bPOST\b/);
    const untrusted = await preflight(servers.untrustedSiteUrl);
    expect(untrusted.headers.get('access-control-allow-origin')).toBeNull();
    expect(untrusted.headers.get('vary')).toMatch(/\bOrigin\b/);

    const { login } = servers.api.account.user.profile;
    const answer = await postAuthn(servers.api.url, JSON.stringify({ username: login, password: 'wrong' }), 'application/json', servers.trustedSiteUrl);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('access-control-allow-origin')).toBe(servers.trustedSiteUrl);
  });
});

test.describe('GET /login/sessionCookieRedirect', () => {
  test('a fresh token: the HttpOnly session cookie, then 302 to redirectUrl; the session works', async ({ servers }) => {
    const redirectUrl = `${servers.trustedSiteUrl}/?org=${encodeURIComponent(servers.api.url)}&client=fetch`;
    const response = await cookieRedirect(servers.api.url, q({ token: await sessionToken(servers), redirectUrl }));

    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(redirectUrl);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const cookie = sidCookie(response);
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]{32}; Path=/; HttpOnly; SameSite=Lax$`));
    const pair = cookie?.split(';')[0] ?? '';
    expect(await usersMe(servers, pair)).toEqual({ status: 200, login: servers.api.account.user.profile.login });
  });

  test('a token works once: used again, a 401 page and no cookie', async ({ servers }) => {
    const token = await sessionToken(servers);
    const redirectUrl = `${servers.trustedSiteUrl}/`;
    expect((await cookieRedirect(servers.api.url, q({ token, redirectUrl }))).status).toBe(302);
    await expectErrorPage(
      await cookieRedirect(servers.api.url, q({ token, redirectUrl })),
      401,
      'The session token is invalid: unknown, expired or already used. Sign in again with POST /api/v1/authn.',
    );
  });

  test('an unknown or missing token: a 401 page and no cookie', async ({ servers }) => {
    const redirectUrl = `${servers.trustedSiteUrl}/`;
    await expectErrorPage(
      await cookieRedirect(servers.api.url, q({ token: '20111notATokenThisServerIssued', redirectUrl })),
      401,
      /^The session token is invalid: unknown, expired or already used\./,
    );
    await expectErrorPage(
      await cookieRedirect(servers.api.url, q({ redirectUrl })),
      401,
      'token is missing: give the sessionToken that POST /api/v1/authn returned.',
    );
    await expectErrorPage(
      await cookieRedirect(servers.api.url, `${q({ token: 'a', redirectUrl })}&token=b`),
      401,
      'token is given more than once: give it once.',
    );
  });

  test('a redirectUrl that is not an absolute http(s) URL: a 400 page saying so; the token stays usable', async ({ servers }) => {
    const token = await sessionToken(servers);
    const bad: [string, string][] = [
      ['', 'redirectUrl is missing: give the absolute http(s) URL to open once the session is set.'],
      ['/api/v1/users/me', "redirectUrl must be an absolute http(s) URL, got '/api/v1/users/me'."],
      ['127.0.0.1:5103/', "redirectUrl must be an absolute http(s) URL, got '127.0.0.1:5103/'."],
      ['javascript:alert(document.cookie)', "redirectUrl must be an absolute http(s) URL, got 'javascript:alert(document.cookie)'."],
      [`ftp://${HOST}/`, `redirectUrl must be an absolute http(s) URL, got 'ftp://${HOST}/'.`],
    ];
    for (const [redirectUrl, message] of bad) {
      await expectErrorPage(await cookieRedirect(servers.api.url, q({ token, redirectUrl })), 400, message);
    }
    await expectErrorPage(
      await cookieRedirect(servers.api.url, `${q({ token, redirectUrl: `${servers.trustedSiteUrl}/` })}&redirectUrl=x`),
      400,
      'redirectUrl is given more than once: give it once.',
    );
    // Refused before the token was looked at: it still signs in.
    expect((await cookieRedirect(servers.api.url, q({ token, redirectUrl: `${servers.trustedSiteUrl}/` }))).status).toBe(302);
  });

  test('a redirectUrl whose origin is not an active Trusted Origin with REDIRECT: a 403 page, no cookie', async ({
    servers, admin,
  }) => {
    const [corsOnly, inactive] = [await servers.openSite(), await servers.openSite()];
    await admin.create({ name: `authn cors-only ${corsOnly}`, origin: corsOnly, scopes: [{ type: 'CORS' }] });
    const { id } = await admin.create({ name: `authn inactive ${inactive}`, origin: inactive, scopes: [{ type: 'REDIRECT' }] });
    await admin.deactivate(id);

    const token = await sessionToken(servers);
    const refused = (site: string) =>
      `redirectUrl ${site}/done is not allowed: its origin ${site} is not an active Trusted Origin with the Redirect scope.`;
    for (const site of [servers.untrustedSiteUrl, corsOnly, inactive, 'https://evil.example', servers.trustedSiteUrl.replace(HOST, 'localhost')]) {
      await expectErrorPage(await cookieRedirect(servers.api.url, q({ token, redirectUrl: `${site}/done` })), 403, refused(site));
    }
    // A REDIRECT scope is enough (CORS is not needed to land there).
    await admin.activate(id);
    const response = await cookieRedirect(servers.api.url, q({ token, redirectUrl: `${inactive}/done` }));
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${inactive}/done`);
  });

  test('a browser that had a session gets a new one; the old one ends', async ({ servers }) => {
    const redirectUrl = `${servers.trustedSiteUrl}/`;
    const first = sidCookie(await cookieRedirect(servers.api.url, q({ token: await sessionToken(servers), redirectUrl })))?.split(';')[0] ?? '';
    const second = sidCookie(await cookieRedirect(servers.api.url, q({ token: await sessionToken(servers), redirectUrl }), first))?.split(';')[0] ?? '';
    expect(second).not.toBe(first);
    expect((await usersMe(servers, first)).status).toBe(403);
    expect((await usersMe(servers, second)).status).toBe(200);
  });

  test('a token expires: redeemable until its lifetime ends, never after', async () => {
    // The routes alone on a real socket, with a clock the test moves instead of waiting.
    let now = Date.parse('2026-01-01T00:00:00.000Z');
    const store = new MemoryTrustedOriginStore([{ origin: 'http://site.example', scopes: ['REDIRECT'] }]);
    const account = defaultAccount('');
    const sessions = new SessionStore();
    const app = express().use(cookieParser()).use(authnRoutes({ sessions, account, trustedOrigins: store, tokenLifetimeMs: 60_000, now: () => now }));
    const server = await listen(app);
    try {
      const issue = async (): Promise<string> => {
        const response = await postAuthn(server.url, JSON.stringify({ username: account.user.profile.login, password: account.password }));
        const body = (await response.json()) as { sessionToken: string; expiresAt: string };
        expect(body.expiresAt).toBe(new Date(now + 60_000).toISOString());
        return body.sessionToken;
      };
      const redeem = (token: string) => cookieRedirect(server.url, q({ token, redirectUrl: 'http://site.example/' }));

      const early = await issue();
      now += 59_999;
      expect((await redeem(early)).status).toBe(302);

      const late = await issue();
      now += 60_000;
      await expectErrorPage(await redeem(late), 401, /^The session token is invalid: unknown, expired or already used\./);
    } finally {
      await server.close();
    }
  });
});

test.describe('the API under test: environment and calls (tests/framework/okta/api-under-test-*.ts)', () => {
  const env = (vars: Record<string, string>): NodeJS.ProcessEnv => vars;
  const full = { CORS_API_URL: 'http://127.0.0.1:5102', CORS_API_TOKEN: 't', CORS_API_LOGIN: 'u', CORS_API_PASSWORD: 'p' };
  const problem = (vars: Record<string, string>): string => {
    try {
      readApiUnderTestEnv(env(vars));
    } catch (error) {
      expect(error).toBeInstanceOf(ApiUnderTestError);
      return (error as Error).message;
    }
    throw new Error('no error');
  };

  test('nothing set: the suite\'s own mock; all four: that API, its URL without a trailing slash', () => {
    expect(readApiUnderTestEnv(env({}))).toEqual({ source: 'own-mock' });
    expect(readApiUnderTestEnv(env({ CORS_API_URL: '' }))).toEqual({ source: 'own-mock' });
    expect(readApiUnderTestEnv(env({ ...full, CORS_API_URL: 'http://127.0.0.1:5102/' }))).toEqual({
      source: 'env', url: 'http://127.0.0.1:5102', token: 't', login: 'u', password: 'p',
    });
  });

  test('each bad variable is one line saying what is wrong', () => {
    expect(problem({ ...full, CORS_API_URL: 'foo' })).toBe("CORS_API_URL must be an absolute http(s) URL, got 'foo'");
    expect(problem({ ...full, CORS_API_URL: 'ftp://h' })).toBe("CORS_API_URL must be an absolute http(s) URL, got 'ftp://h'");
    expect(problem({ ...full, CORS_API_URL: 'https://dev-1.okta.com/api/v1' })).toBe(
      "CORS_API_URL must be the API's base URL (scheme, host, port), got 'https://dev-1.okta.com/api/v1': try 'https://dev-1.okta.com'",
    );
    expect(problem({ ...full, CORS_API_URL: 'http://a:b@h' })).toBe(
      "CORS_API_URL must not carry a user or password, got 'http://a:b@h': the token goes in CORS_API_TOKEN",
    );
    expect(problem({ ...full, CORS_API_TOKEN: '' })).toBe(
      'CORS_API_TOKEN is required with CORS_API_URL: the suite adds its website origins as Trusted Origins through it',
    );
    expect(problem({ CORS_API_URL: 'foo' }).split('\n')).toEqual([
      "CORS_API_URL must be an absolute http(s) URL, got 'foo'",
      'CORS_API_TOKEN is required with CORS_API_URL: the suite adds its website origins as Trusted Origins through it',
      'CORS_API_LOGIN is required with CORS_API_URL: the user the suite signs in as (POST /api/v1/authn)',
      'CORS_API_PASSWORD is required with CORS_API_URL: the password of CORS_API_LOGIN',
    ]);
    expect(problem({ CORS_API_TOKEN: 't' })).toBe(
      "CORS_API_TOKEN is set but CORS_API_URL is not: set CORS_API_URL to the API it is for, or unset it to test the suite's own mock",
    );
  });

  const target = (servers: RunningServers, change: Partial<ApiTarget> = {}): ApiTarget => ({
    url: servers.api.url,
    source: 'env',
    label: `CORS_API_URL ${change.url ?? servers.api.url}`,
    token: servers.api.adminToken,
    login: servers.api.account.user.profile.login,
    password: servers.api.account.password,
    ...change,
  });

  test('an API that is not there, a wrong token, a site that is no API: one line each', async ({ servers }) => {
    const nobody = `http://${HOST}:${await getPort({ host: HOST })}`;
    await expect(checkApi(target(servers, { url: nobody }))).rejects.toThrow(
      exactly(`CORS_API_URL ${nobody}: cannot connect (ECONNREFUSED); is the API running?`),
    );
    // The sign-in calls go from Node straight through node:http: the same one line.
    await expect(authenticate(target(servers, { url: nobody }))).rejects.toThrow(
      exactly(`CORS_API_URL ${nobody}: cannot connect (ECONNREFUSED); is the API running?`),
    );
    await expect(checkApi(target(servers, { token: 'wrong-token-0123456789' }))).rejects.toThrow(
      exactly(`CORS_API_TOKEN was refused by ${servers.api.url}: 401 E0000011 Invalid token provided`),
    );
    await expect(checkApi(target(servers, { url: servers.trustedSiteUrl }))).rejects.toThrow(
      exactly(`CORS_API_URL ${servers.trustedSiteUrl} does not answer like an Okta API: GET /api/v1/trustedOrigins gave 404 text/plain`),
    );
    await expect(authenticate(target(servers, { password: 'wrong' }))).rejects.toThrow(
      exactly(`sign-in as ${servers.api.account.user.profile.login} at ${servers.api.url} failed: 401 E0000004 Authentication failed; check CORS_API_LOGIN and CORS_API_PASSWORD`),
    );
  });

  test('the session cookies for the engine: as the API set them; a refused redirect or a used token is one line', async ({ servers }) => {
    const api = target(servers);
    const landing = `${servers.trustedSiteUrl}/probe.html`;
    const { sessionToken: token } = await authenticate(api);
    const [cookie, ...more] = await sessionCookies(api, token, landing);
    expect(more).toEqual([]);
    expect(cookie).toEqual({
      url: `${servers.api.url}/login/sessionCookieRedirect`,
      name: SESSION_COOKIE, value: expect.stringMatching(/.{16,}/), path: '/', httpOnly: true, secure: false, sameSite: 'Lax',
    });
    // The cookie names a live session: /api/v1/users/me answers with it.
    const me = await fetch(`${servers.api.url}/api/v1/users/me`, { headers: { Cookie: `${SESSION_COOKIE}=${cookie?.value ?? ''}`, Accept: 'application/json' } });
    expect(me.status).toBe(200);

    const redeem = `${servers.api.url}/login/sessionCookieRedirect`;
    await expect(sessionCookies(api, token, landing)).rejects.toThrow(
      exactly(`${redeem} did not redirect to ${landing}: it answered 401 text/html: Sign-in failed The session token is invalid: unknown, expired or already used. Sign in again with POST /api/v1/authn.`),
    );
    const untrusted = `${servers.untrustedSiteUrl}/probe.html`;
    const { sessionToken: fresh } = await authenticate(api);
    await expect(sessionCookies(api, fresh, untrusted)).rejects.toThrow(
      exactly(`${redeem} did not redirect to ${untrusted}: it answered 403 text/html: Sign-in failed redirectUrl ${untrusted} is not allowed: its origin ${servers.untrustedSiteUrl} is not an active Trusted Origin with the Redirect scope.`),
    );
  });

  test('trusting a site: created with CORS and REDIRECT and deleted again; an entry not ours is used or refused, never changed', async ({
    servers, admin,
  }) => {
    const api = target(servers);
    const site = await servers.openSite();
    const id = await trustOrigin(api, site);
    expect(id).toMatch(/^tos/);
    expect(await admin.list({ filter: `origin eq "${site}"` })).toEqual([
      expect.objectContaining({ id, name: `cors-conformance suite ${site}`, status: 'ACTIVE', scopes: [{ type: 'CORS' }, { type: 'REDIRECT' }] }),
    ]);
    await untrustOrigin(api, id ?? '');
    expect(await admin.list({ filter: `origin eq "${site}"` })).toEqual([]);
    await untrustOrigin(api, id ?? ''); // already gone is fine

    // The mock's own site is trusted already (CORS + REDIRECT): used as it is, nothing to delete.
    expect(await trustOrigin(api, servers.trustedSiteUrl)).toBeUndefined();

    const corsOnly = await servers.openSite();
    await admin.create({ name: `theirs ${corsOnly}`, origin: corsOnly, scopes: [{ type: 'CORS' }] });
    await expect(trustOrigin(api, corsOnly)).rejects.toThrow(
      exactly(`${corsOnly} is already a Trusted Origin of ${servers.api.url} ('theirs ${corsOnly}', ACTIVE, scopes CORS) but not an active one with CORS and REDIRECT: fix or delete it; the suite leaves entries it did not create alone`),
    );
    await expect(trustOrigin(api, `${corsOnly}/`)).rejects.toThrow(
      exactly(`cannot add ${corsOnly}/ as a Trusted Origin of ${servers.api.url}: 400 E0000001 Api validation failed: origin (origin: Origin value is not valid)`),
    );
  });
});
