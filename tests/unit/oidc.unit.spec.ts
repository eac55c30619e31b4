/**
 * OpenID Connect in the mock org (servers/okta-api/oidc/), over HTTP: discovery and keys,
 * authorize (PKCE, response modes, prompt=none, sessionToken), token, userinfo, revoke,
 * introspect and logout, each error with Okta's OAuth body, and each endpoint's CORS rule.
 * Tokens are checked with `jose` against the published keys, as a relying party would.
 */
import { expect } from '@playwright/test';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { createOktaApi } from '../../servers/okta-api/app.js';
import { CODE_LIFETIME_MS } from '../../servers/okta-api/oidc/grants.js';
import { MemoryTrustedOriginStore } from '../../servers/okta-api/trusted-origins/store.js';
import { listen } from '../../servers/listen.js';
import { apiTest as test } from '../fixtures/api-servers.js';
import {
  authorizeUrl, expectOAuthError, getAuthorize, ISSUER_PATH, orgOf, pkcePair, postForm, returned, sessionCookie, sessionToken, tokensFor, type Org,
} from './oidc-http.js';
import { sendPreflight } from './preflight-http.js';

test.describe.configure({ mode: 'parallel' });

const callback = (org: Org): string => `${org.site}/login/callback`;

test.describe('discovery and keys', () => {
  test('both authorization servers publish their metadata and keys to any origin, without credentials', async ({ servers }) => {
    for (const [metadataPath, issuer] of [
      [`${ISSUER_PATH}/.well-known/openid-configuration`, `${servers.api.url}${ISSUER_PATH}`],
      ['/.well-known/openid-configuration', servers.api.url],
    ] as const) {
      const response = await fetch(`${servers.api.url}${metadataPath}`, { headers: { Origin: servers.untrustedSiteUrl } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
      const metadata = (await response.json()) as Record<string, unknown>;
      const base = metadataPath === '/.well-known/openid-configuration' ? `${issuer}/oauth2/v1` : `${issuer}/v1`;
      expect(metadata).toMatchObject({
        issuer,
        authorization_endpoint: `${base}/authorize`,
        token_endpoint: `${base}/token`,
        userinfo_endpoint: `${base}/userinfo`,
        jwks_uri: `${base}/keys`,
        revocation_endpoint: `${base}/revoke`,
        introspection_endpoint: `${base}/introspect`,
        end_session_endpoint: `${base}/logout`,
        code_challenge_methods_supported: ['S256'],
        response_modes_supported: expect.arrayContaining(['query', 'fragment', 'okta_post_message']),
      });
      const keys = await fetch(metadata.jwks_uri as string, { headers: { Origin: servers.untrustedSiteUrl } });
      expect(keys.headers.get('access-control-allow-origin')).toBe('*');
      expect(await keys.json()).toEqual({ keys: [{ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.stringMatching(/^[\w-]{43}$/), e: 'AQAB', n: expect.any(String) }] });
    }
  });

  test('the public preflight allows GET and the SDK headers for any origin, never credentials', async ({ servers }) => {
    const response = await sendPreflight(
      `${servers.api.url}${ISSUER_PATH}/.well-known/openid-configuration`, servers.untrustedSiteUrl, 'GET', 'content-type,x-okta-user-agent-extended',
    );
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-okta-user-agent-extended');
  });
});

test.describe('authorize', () => {
  test('with the session cookie: a code back in the query, fragment or the okta_post_message page', async ({ servers }) => {
    const org = orgOf(servers);
    const cookie = await sessionCookie(org);
    const { challenge } = pkcePair();
    const query = await getAuthorize(authorizeUrl(org, challenge), cookie);
    expect(query.status).toBe(302);
    expect(query.headers.get('location')).toMatch(new RegExp(`^${callback(org)}\\?code=[\\w-]{43}&state=state-1$`));
    expect(query.headers.get('access-control-allow-origin')).toBeNull();

    const fragment = await getAuthorize(authorizeUrl(org, challenge, { response_mode: 'fragment' }), cookie);
    expect(fragment.headers.get('location')).toMatch(new RegExp(`^${callback(org)}#code=[\\w-]{43}&state=state-1$`));

    const iframe = await getAuthorize(authorizeUrl(org, challenge, { response_mode: 'okta_post_message', prompt: 'none' }), cookie);
    expect(iframe.status).toBe(200);
    expect(iframe.headers.get('content-type')).toMatch(/^text\/html/);
    const script = /<script>window\.parent\.postMessage\((\{.*\}), "(.*)"\);<\/script>/.exec(await iframe.text());
    expect(JSON.parse(script?.[1] ?? '{}')).toEqual({ code: expect.stringMatching(/^[\w-]{43}$/), state: 'state-1' });
    expect(script?.[2], 'posted to the redirect URI origin only').toBe(org.site);
  });

  test('prompt=none without a session: login_required back to the app; without prompt=none: the sign-in page', async ({ servers }) => {
    const org = orgOf(servers);
    const { challenge } = pkcePair();
    const silent = await getAuthorize(authorizeUrl(org, challenge, { response_mode: 'okta_post_message', prompt: 'none' }));
    expect(await silent.text()).toContain('"error":"login_required","error_description":"The client specified not to prompt, but the user is not logged in.","state":"state-1"');

    const prompt = await getAuthorize(authorizeUrl(org, challenge));
    expect(prompt.status).toBe(302);
    expect(prompt.headers.get('location')).toMatch(/^\/login\?fromURI=%2Foauth2%2Fdefault%2Fv1%2Fauthorize%3F/);
  });

  test('the sign-in page takes a person back to the authorize request (only the org\'s own), which then issues the code', async ({ servers }) => {
    const org = orgOf(servers);
    const { challenge } = pkcePair();
    const fromURI = decodeURIComponent((await getAuthorize(authorizeUrl(org, challenge))).headers.get('location')?.split('fromURI=')[1] ?? '');
    expect(fromURI).toMatch(/^\/oauth2\/default\/v1\/authorize\?/);
    const signInPage = await (await fetch(`${org.api}/login?${new URLSearchParams({ fromURI }).toString()}`)).text();
    expect(signInPage.replace(/&#38;/g, '&')).toContain(`<input type="hidden" name="fromURI" value="${fromURI}">`);

    const signIn = (from: string) =>
      fetch(`${org.api}/login`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: org.login, password: org.password, fromURI: from }).toString() });
    const signedIn = await signIn(fromURI);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe(fromURI);
    const cookie = signedIn.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    expect(returned(await getAuthorize(`${org.api}${fromURI}`, cookie)).get('code')).toMatch(/^[\w-]{43}$/);

    for (const elsewhere of ['https://evil.example/oauth2/default/v1/authorize?x', '//evil.example/oauth2/v1/authorize?x', '/login/done?x']) {
      expect((await signIn(elsewhere)).headers.get('location')).toBe('/login/done');
    }
  });

  test('a sessionToken signs in: a code, and the session cookie for later calls (once only)', async ({ servers }) => {
    const org = orgOf(servers);
    const token = await sessionToken(org);
    const { challenge } = pkcePair();
    const response = await getAuthorize(authorizeUrl(org, challenge, { sessionToken: token, prompt: 'none' }));
    expect(returned(response).get('code')).toMatch(/^[\w-]{43}$/);
    const cookie = response.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    expect(cookie).toMatch(/^sid=/);
    expect((await fetch(`${org.api}/api/v1/sessions/me`, { headers: { Cookie: cookie } })).status).toBe(200);

    const again = await getAuthorize(authorizeUrl(org, challenge, { sessionToken: token, prompt: 'none' }));
    expect(returned(again).get('error')).toBe('login_required');
  });

  test('an unknown client or an unregistered redirect URI: Okta\'s error page, never a redirect', async ({ servers }) => {
    const org = orgOf(servers);
    const cookie = await sessionCookie(org);
    const { challenge } = pkcePair();
    for (const [overrides, error, description] of [
      [{ client_id: '0oanotregistered0000' }, 'invalid_client', "Invalid value for 'client_id' parameter."],
      [{ redirect_uri: `${org.site}/elsewhere` }, 'invalid_request', "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings."],
      [{ redirect_uri: `${servers.untrustedSiteUrl}/login/callback` }, 'invalid_request', "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings."],
      [{ response_mode: 'form_post' }, 'invalid_request', "The 'response_mode' parameter is invalid: 'form_post'. Use query, fragment or okta_post_message."],
    ] as const) {
      const response = await getAuthorize(authorizeUrl(org, challenge, overrides), cookie);
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      const page = await response.text();
      expect(page).toContain(`<dd id="oauth-error-code">${error}</dd>`);
      expect(page.replace(/&#39;/g, "'")).toContain(`<dd id="oauth-error-description">${description}</dd>`);
    }
  });

  test('request errors go back to the app: no PKCE, plain PKCE, unknown scope, other response type, no state', async ({ servers }) => {
    const org = orgOf(servers);
    const cookie = await sessionCookie(org);
    const { challenge } = pkcePair();
    for (const [overrides, error] of [
      [{ code_challenge: undefined }, 'invalid_request'],
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ scope: 'openid admin' }, 'invalid_scope'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
    ] as const) {
      const back = returned(await getAuthorize(authorizeUrl(org, challenge, overrides), cookie));
      expect(back.get('error'), JSON.stringify(overrides)).toBe(error);
      expect(back.get('state')).toBe('state-1');
      expect(back.get('code')).toBeNull();
    }
    expect(returned(await getAuthorize(authorizeUrl(org, challenge, { state: undefined }), cookie)).get('error_description')).toBe("The 'state' parameter is required.");
  });
});

test.describe('token', () => {
  test('authorization_code with the PKCE verifier: RS256 tokens with Okta\'s claims, verified against the published keys', async ({ servers }) => {
    const org = orgOf(servers);
    const tokens = await tokensFor(org);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid profile email offline_access', refresh_token: expect.stringMatching(/^[\w-]{43}$/) });
    const issuer = `${org.api}${ISSUER_PATH}`;
    const keys = createRemoteJWKSet(new URL(`${issuer}/v1/keys`));
    const id = await jwtVerify(tokens.id_token, keys, { issuer, audience: org.clientId });
    expect(id.protectedHeader).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    expect(id.payload).toMatchObject({
      sub: servers.api.account.user.id, ver: 1, nonce: 'nonce-1', amr: ['pwd'], jti: expect.stringMatching(/^ID\./),
      email: servers.api.account.user.profile.email, preferred_username: servers.api.account.user.profile.login,
      auth_time: expect.any(Number), at_hash: expect.stringMatching(/^[\w-]{22}$/),
    });
    const access = await jwtVerify(tokens.access_token, keys, { issuer, audience: 'api://default' });
    expect(access.payload).toMatchObject({
      ver: 1, cid: org.clientId, uid: servers.api.account.user.id, sub: servers.api.account.user.profile.login,
      scp: ['openid', 'profile', 'email', 'offline_access'], jti: expect.stringMatching(/^AT\./),
    });
    expect((access.payload.exp ?? 0) - (access.payload.iat ?? 0)).toBe(3600);
  });

  test('the org authorization server issues tokens for the org audience', async ({ servers }) => {
    const org = orgOf(servers);
    const tokens = await tokensFor(org, 'openid', '/oauth2');
    expect(decodeJwt(tokens.access_token)).toMatchObject({ iss: org.api, aud: org.api });
    expect(decodeJwt(tokens.id_token)).toMatchObject({ iss: org.api, aud: org.clientId });
    expect(tokens.refresh_token).toBeUndefined();
  });

  test('a wrong verifier, another redirect URI, a used code, an unknown client and grant: Okta\'s OAuth errors', async ({ servers }) => {
    const org = orgOf(servers);
    const cookie = await sessionCookie(org);
    const codeFor = async (challenge: string) => returned(await getAuthorize(authorizeUrl(org, challenge), cookie)).get('code') ?? '';
    const exchange = (code: string, verifier: string, extra: Record<string, string> = {}) =>
      postForm(org, 'token', { grant_type: 'authorization_code', client_id: org.clientId, code, code_verifier: verifier, redirect_uri: callback(org), ...extra });
    const { verifier, challenge } = pkcePair();

    await expectOAuthError(await exchange(await codeFor(challenge), pkcePair().verifier), 400, 'invalid_grant', 'PKCE verification failed.');
    await expectOAuthError(await exchange(await codeFor(challenge), verifier, { redirect_uri: `${org.site}/` }), 400, 'invalid_grant', "The 'redirect_uri' does not match the redirection URI used in the authorization request.");
    const code = await codeFor(challenge);
    expect((await exchange(code, verifier)).status).toBe(200);
    await expectOAuthError(await exchange(code, verifier), 400, 'invalid_grant', 'The authorization code is invalid or has expired.');
    await expectOAuthError(await exchange(await codeFor(challenge), verifier, { code_verifier: '' }), 400, 'invalid_request', "The 'code_verifier' parameter is required.");
    await expectOAuthError(await exchange(await codeFor(challenge), verifier, { client_id: '0oanotregistered0000' }), 401, 'invalid_client', "Invalid value for 'client_id' parameter.");
    await expectOAuthError(await postForm(org, 'token', { grant_type: 'password', client_id: org.clientId }), 400, 'unsupported_grant_type', /^The authorization grant type is not supported/);
    const json = await fetch(`${org.api}${ISSUER_PATH}/v1/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    await expectOAuthError(json, 400, 'invalid_request', /Content-Type: application\/x-www-form-urlencoded/);
  });

  test('refresh_token: new tokens and a new refresh token; the used one is spent', async ({ servers }) => {
    const org = orgOf(servers);
    const first = await tokensFor(org);
    const refresh = (token: string) => postForm(org, 'token', { grant_type: 'refresh_token', client_id: org.clientId, refresh_token: token, scope: first.scope });
    const response = await refresh(first.refresh_token ?? '');
    expect(response.status).toBe(200);
    const second = (await response.json()) as { refresh_token: string; access_token: string; id_token: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    await expectOAuthError(await refresh(first.refresh_token ?? ''), 400, 'invalid_grant', 'The refresh token is invalid or expired.');
  });

  test('a code past its 300 s lifetime is refused', async () => {
    let now = Date.now();
    const trustedOrigins = new MemoryTrustedOriginStore();
    const site = 'http://site.example';
    trustedOrigins.addIfAbsent({ name: 'site', origin: site, scopes: ['CORS', 'REDIRECT'] });
    const api = createOktaApi({ trustedOrigins, now: () => now, oidcApp: { redirectUris: [`${site}/login/callback`], postLogoutRedirectUris: [] } });
    const listening = await listen(api.app);
    try {
      const org: Org = { api: listening.url, site, clientId: api.oidcApp.clientId, login: api.account.user.profile.login, password: api.account.password };
      const { verifier, challenge } = pkcePair();
      const code = returned(await getAuthorize(authorizeUrl(org, challenge, { sessionToken: await sessionToken(org) }))).get('code') ?? '';
      now += CODE_LIFETIME_MS + 1;
      const response = await postForm(org, 'token', { grant_type: 'authorization_code', client_id: org.clientId, code, code_verifier: verifier, redirect_uri: callback(org) });
      await expectOAuthError(response, 400, 'invalid_grant', 'The authorization code is invalid or has expired.');
    } finally {
      await listening.close();
    }
  });

  test('CORS: the trusted site may POST (preflight 204, credentials); an untrusted origin gets no CORS headers; Vary: Origin on both', async ({ servers }) => {
    const preflight = (origin: string) =>
      sendPreflight(`${servers.api.url}${ISSUER_PATH}/v1/token`, origin, 'POST', 'accept,content-type,x-okta-user-agent-extended');
    const trusted = await preflight(servers.trustedSiteUrl);
    expect(trusted.status).toBe(204);
    expect(trusted.headers.get('access-control-allow-origin')).toBe(servers.trustedSiteUrl);
    expect(trusted.headers.get('access-control-allow-methods')).toContain('POST');
    expect(trusted.headers.get('access-control-max-age')).toBe('3600');
    const untrusted = await preflight(servers.untrustedSiteUrl);
    expect(untrusted.headers.get('access-control-allow-origin')).toBeNull();
    expect(untrusted.headers.get('vary')).toMatch(/\bOrigin\b/);
    const refused = await postForm(orgOf(servers), 'token', { grant_type: 'refresh_token', client_id: servers.api.oidcApp.clientId, refresh_token: 'x' }, { Origin: servers.untrustedSiteUrl });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});

test.describe('userinfo, revoke, introspect', () => {
  test('userinfo with the access token: the claims of its scopes; a bad token 401 with WWW-Authenticate', async ({ servers }) => {
    const org = orgOf(servers);
    const tokens = await tokensFor(org);
    const userinfo = (token: string) => fetch(`${org.api}${ISSUER_PATH}/v1/userinfo`, { headers: { Authorization: `Bearer ${token}`, Origin: org.site } });
    const response = await userinfo(tokens.access_token);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(org.site);
    const { user } = servers.api.account;
    expect(await response.json()).toEqual({
      sub: user.id, name: `${user.profile.firstName} ${user.profile.lastName}`, given_name: user.profile.firstName, family_name: user.profile.lastName,
      preferred_username: user.profile.login, locale: 'en_US', zoneinfo: 'America/Los_Angeles', updated_at: Math.floor(Date.parse(user.lastUpdated) / 1000),
      email: user.profile.email, email_verified: true,
    });
    const bad = await userinfo(`${tokens.access_token.slice(0, -4)}AAAA`);
    expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
    await expectOAuthError(bad, 401, 'invalid_token', 'The access token is invalid.');
    await expectOAuthError(await userinfo(tokens.id_token), 401, 'invalid_token', 'The access token is invalid.');
  });

  test('revoke (Basic client id, as the SDK sends it) ends the access and refresh tokens; introspect says so', async ({ servers }) => {
    const org = orgOf(servers);
    const tokens = await tokensFor(org);
    const basic = { Authorization: `Basic ${Buffer.from(org.clientId).toString('base64')}`, Origin: org.site };
    const introspect = async (token: string) => (await (await postForm(org, 'introspect', { token }, basic)).json()) as Record<string, unknown>;

    expect(await introspect(tokens.access_token)).toMatchObject({ active: true, token_type: 'Bearer', client_id: org.clientId, username: org.login, scope: tokens.scope });
    expect(await introspect(tokens.refresh_token ?? '')).toMatchObject({ active: true, token_type: 'refresh_token', client_id: org.clientId });

    for (const token of [tokens.access_token, tokens.refresh_token ?? '']) {
      const revoked = await postForm(org, 'revoke', { token }, basic);
      expect(revoked.status).toBe(200);
      expect(revoked.headers.get('access-control-allow-origin')).toBe(org.site);
      expect(await introspect(token)).toEqual({ active: false });
    }
    expect((await fetch(`${org.api}${ISSUER_PATH}/v1/userinfo`, { headers: { Authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);
    expect((await postForm(org, 'revoke', { token: 'never-issued' }, basic)).status).toBe(200);
    await expectOAuthError(await postForm(org, 'revoke', { token: 'x' }, { Authorization: `Basic ${Buffer.from('0oanobody').toString('base64')}` }), 401, 'invalid_client', "Invalid value for 'client_id' parameter.");
  });
});

test.describe('logout', () => {
  test('with the ID token and a registered sign-out URI: the session ends and the browser goes back with the state', async ({ servers }) => {
    const org = orgOf(servers);
    const cookie = await sessionCookie(org);
    const { verifier, challenge } = pkcePair();
    const code = returned(await getAuthorize(authorizeUrl(org, challenge), cookie)).get('code') ?? '';
    const tokens = (await (await postForm(org, 'token', { grant_type: 'authorization_code', client_id: org.clientId, code, code_verifier: verifier, redirect_uri: callback(org) })).json()) as { id_token: string };
    const logout = (target: string) =>
      fetch(`${org.api}${ISSUER_PATH}/v1/logout?${new URLSearchParams({ id_token_hint: tokens.id_token, post_logout_redirect_uri: target, state: 's' }).toString()}`, { redirect: 'manual', headers: { Cookie: cookie } });

    const refused = await logout(`${org.site}/not-registered`);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Logout redirect URI');
    expect((await fetch(`${org.api}/api/v1/sessions/me`, { headers: { Cookie: cookie } })).status).toBe(200);

    const response = await logout(`${org.site}/sdk.html`);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${org.site}/sdk.html?state=s`);
    expect(response.headers.getSetCookie()).toEqual([expect.stringMatching(/^sid=;/)]);
    expect((await fetch(`${org.api}/api/v1/sessions/me`, { headers: { Cookie: cookie } })).status).toBe(404);
  });
});
