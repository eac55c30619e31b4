/**
 * Talking to the mock org's sessions and OpenID Connect endpoints over plain HTTP, the way the
 * SDK does from a page, for the server specs: a session cookie, PKCE, authorize, token.
 */
import { createHash, randomBytes } from 'node:crypto';
import { expect } from '@playwright/test';
import { authenticate } from '../framework/okta/api-under-test-client.js';
import { SESSION_COOKIE } from '../../servers/okta-api/sessions.js';
import type { RunningServers } from '../../servers/start.js';

/** Where the org is and who may call it: what a spec passes around. */
export interface Org {
  api: string;
  site: string;
  clientId: string;
  login: string;
  password: string;
}

/** The worker's mock org, as an Org. */
export const orgOf = (servers: RunningServers): Org => ({
  api: servers.api.url,
  site: servers.trustedSiteUrl,
  clientId: servers.api.oidcApp.clientId,
  login: servers.api.account.user.profile.login,
  password: servers.api.account.password,
});

export const ISSUER_PATH = '/oauth2/default';

export const pkcePair = (): { verifier: string; challenge: string } => {
  const verifier = randomBytes(43).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

/** A one-time session token from POST /api/v1/authn. */
export async function sessionToken(org: Org): Promise<string> {
  const signIn = { url: org.api, label: `the mock org ${org.api}`, login: org.login, password: org.password };
  return (await authenticate(signIn)).sessionToken;
}

/** `sid=<value>` for a fresh session, set through /login/sessionCookieRedirect as the SDK does. */
export async function sessionCookie(org: Org): Promise<string> {
  const token = await sessionToken(org);
  const query = new URLSearchParams({ token, redirectUrl: `${org.site}/` });
  const response = await fetch(`${org.api}/login/sessionCookieRedirect?${query.toString()}`, { redirect: 'manual' });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  expect(cookie, 'the session cookie').toBeDefined();
  return (cookie ?? '').split(';')[0] ?? '';
}

/** The authorize URL the SDK builds, with any parameter replaced or (as undefined) left out. */
export function authorizeUrl(org: Org, challenge: string, overrides: Record<string, string | undefined> = {}, issuerPath = ISSUER_PATH): string {
  const params: Record<string, string | undefined> = {
    client_id: org.clientId,
    redirect_uri: `${org.site}/login/callback`,
    response_type: 'code',
    response_mode: 'query',
    scope: 'openid profile email offline_access',
    state: 'state-1',
    nonce: 'nonce-1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  const query = new URLSearchParams(Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : [[k, v]])));
  return `${org.api}${issuerPath}/v1/authorize?${query.toString()}`;
}

/** GET authorize without following the redirect. */
export const getAuthorize = (url: string, cookie?: string): Promise<Response> =>
  fetch(url, { redirect: 'manual', headers: cookie === undefined ? {} : { Cookie: cookie } });

/** The parameters a redirect carries back (query or fragment). */
export function returned(response: Response): URLSearchParams {
  const location = response.headers.get('location');
  expect(location, `authorize answered ${response.status} without a redirect`).not.toBeNull();
  const url = new URL(location ?? '');
  return new URLSearchParams(url.hash !== '' ? url.hash.slice(1) : url.search);
}

/** A form POST to one of the issuer's endpoints, from `origin` when given. */
export function postForm(org: Org, endpoint: string, form: Record<string, string>, headers: Record<string, string> = {}, issuerPath = ISSUER_PATH): Promise<Response> {
  return fetch(`${org.api}${issuerPath}/v1/${endpoint}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

export interface Tokens {
  access_token: string;
  id_token: string;
  refresh_token?: string;
  scope: string;
  token_type: string;
  expires_in: number;
}

/** Signs in, authorizes and exchanges the code: the tokens of a whole PKCE flow. */
export async function tokensFor(org: Org, scope = 'openid profile email offline_access', issuerPath = ISSUER_PATH): Promise<Tokens> {
  const cookie = await sessionCookie(org);
  const { verifier, challenge } = pkcePair();
  const code = returned(await getAuthorize(authorizeUrl(org, challenge, { scope }, issuerPath), cookie)).get('code') ?? '';
  const response = await postForm(org, 'token', {
    grant_type: 'authorization_code', client_id: org.clientId, code, code_verifier: verifier, redirect_uri: `${org.site}/login/callback`,
  }, {}, issuerPath);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Tokens;
}

/** An OAuth error answer, checked whole. */
export async function expectOAuthError(response: Response, status: number, error: string, description: string | RegExp): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await response.json()).toEqual({
    error,
    error_description: typeof description === 'string' ? description : expect.stringMatching(description),
  });
}
