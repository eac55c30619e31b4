/**
 * What the suite says to the API under test, over HTTP as Okta documents it, so the same code
 * runs against the mock and any other API: prove it answers and takes the token, trust the
 * website's origin (through the one Trusted Origins admin client), sign a user in. Every
 * failure is one ApiUnderTestError line naming the API and what to check.
 */
import { request, type APIRequestContext, type APIResponse } from '@playwright/test';
import { parseSetCookie } from 'set-cookie-parser';
import { isRecord } from '../../../servers/util/is-record.js';
import type { EngineCookie, EnginePage } from '../engines/engine.js';
import { ApiUnderTestError, ENV, type ApiUnderTestConfig } from './api-under-test-env.js';
import { callFromNode, type SuiteNamesRoute } from './node-call.js';
import { TrustedOriginsAdmin, type TrustedOriginJson } from './trusted-origins-admin-client.js';

/** Where the tests go and how they get in. The password stays in here, out of reports. */
export interface ApiTarget {
  url: string;
  source: ApiUnderTestConfig['source'];
  /** How messages name the API: `CORS_API_URL http://…` or `the suite's mock API http://…`. */
  label: string;
  token: string;
  login: string;
  password: string;
}

interface Answer {
  status: number;
  contentType: string;
  headers: Record<string, string>;
  /** Each Set-Cookie line (headers merges them). */
  setCookies: string[];
  json: unknown;
  text: string;
}

const CALL_TIMEOUT_MS = 10_000;

function toAnswer(status: number, headers: Record<string, string>, setCookies: string[], text: string): Answer {
  const contentType = headers['content-type'] ?? '';
  let json: unknown;
  try {
    json = /json/.test(contentType) ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    json = undefined;
  }
  return { status, contentType, headers, setCookies, json, text };
}

async function answerOf(response: APIResponse): Promise<Answer> {
  const setCookies = response.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value);
  return toAnswer(response.status(), response.headers(), setCookies, await response.text());
}

/** One HTTP call to the API, in a request context of its own; a failure to connect becomes one line naming the API. */
async function ask(target: Pick<ApiTarget, 'url' | 'label'>, send: (context: APIRequestContext) => Promise<APIResponse>): Promise<Answer> {
  const context = await request.newContext({ timeout: CALL_TIMEOUT_MS, maxRedirects: 0 });
  try {
    return await answerOf(await send(context));
  } catch (error) {
    throw new ApiUnderTestError(`${target.label}: ${connectProblem(error)}`);
  } finally {
    await context.dispose();
  }
}

/** A sign-in call from Node: along the target's route to the suite's host names when it has one. */
async function askToSignIn(target: SignInRoute, method: 'GET' | 'POST', url: string, body?: object): Promise<Answer> {
  try {
    const { status, headers, setCookies, text } = await callFromNode(target.route, method, url, body);
    return toAnswer(status, headers, setCookies, text);
  } catch (error) {
    throw new ApiUnderTestError(`${target.label}: ${connectProblem(error)}`);
  }
}

/** One call through the Trusted Origins admin client, with the target's token. */
const askAdmin = (target: ApiTarget, send: (admin: TrustedOriginsAdmin) => Promise<APIResponse>): Promise<Answer> =>
  ask(target, (context) => send(new TrustedOriginsAdmin(context, target.url, target.token)));

function connectProblem(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${CALL_TIMEOUT_MS / 1000} s; is it the API's address?`;
  // Playwright's message carries Node's error code: "apiRequestContext.get: connect ECONNREFUSED 127.0.0.1:1".
  const message = error instanceof Error ? error.message : String(error);
  // Node's TLS checks name the problem in their code (SELF_SIGNED_CERT_IN_CHAIN, ERR_TLS_CERT_ALTNAME_INVALID, …).
  const tlsCode = isRecord(error) && typeof error.code === 'string' && /CERT|TLS|SSL|SIGNATURE/.test(error.code) ? error.code : undefined;
  if (tlsCode !== undefined) return `its TLS certificate was refused (${tlsCode}); is it the suite's own CA?`;
  const code = /\b(E[A-Z_]{3,})\b/.exec(message)?.[1] ?? message.split('\n')[0];
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve its host name (${code}); is the URL right?`;
  return `cannot connect (${code}); is the API running?`;
}

/** "401 E0000011 Invalid token provided", or the status and content type of a non-Okta answer. */
function describeAnswer(answer: Answer): string {
  const body = answer.json;
  if (isRecord(body) && typeof body.errorCode === 'string') {
    const causes = Array.isArray(body.errorCauses)
      ? body.errorCauses.map((c) => (isRecord(c) ? String(c.errorSummary) : '')).filter((c) => c !== '')
      : [];
    return `${answer.status} ${body.errorCode} ${String(body.errorSummary)}${causes.length > 0 ? ` (${causes.join('; ')})` : ''}`;
  }
  return `${answer.status}${answer.contentType === '' ? '' : ` ${answer.contentType.split(';')[0] ?? ''}`}`;
}

const TRUSTED_ORIGINS = '/api/v1/trustedOrigins';
const REQUIRED_SCOPES = ['CORS', 'REDIRECT'] as const;

type ListedOrigin = Pick<TrustedOriginJson, 'id' | 'name' | 'origin' | 'status' | 'scopes'>;

// Another API's answer is checked, not trusted.
const isTrustedOrigin = (value: unknown): value is ListedOrigin =>
  isRecord(value) && typeof value.id === 'string' && typeof value.origin === 'string' && Array.isArray(value.scopes);

/** Proves the API answers and takes the token, before any test relies on either. */
export async function checkApi(target: ApiTarget): Promise<void> {
  const answer = await askAdmin(target, (admin) => admin.listResponse({ limit: 1 }));
  if (answer.status === 401) throw new ApiUnderTestError(`${ENV.token} was refused by ${target.url}: ${describeAnswer(answer)}`);
  if (answer.status === 403) {
    throw new ApiUnderTestError(`${ENV.token} may not manage Trusted Origins at ${target.url}: ${describeAnswer(answer)}; use an admin's token`);
  }
  if (answer.status !== 200 || !Array.isArray(answer.json)) {
    throw new ApiUnderTestError(
      `${target.label} does not answer like an Okta API: GET ${TRUSTED_ORIGINS} gave ${describeAnswer(answer)}`,
    );
  }
}

/**
 * Makes `origin` a Trusted Origin with CORS and REDIRECT. An entry that already exists is used
 * as it is when it has both scopes and is active, and never changed or deleted: it is not ours.
 * Returns the id of the entry it created, to delete at the end.
 */
export async function trustOrigin(target: ApiTarget, origin: string): Promise<string | undefined> {
  const listed = await askAdmin(target, (admin) => admin.listResponse({ filter: `origin eq "${origin}"` }));
  if (listed.status !== 200 || !Array.isArray(listed.json)) {
    throw new ApiUnderTestError(`cannot look up ${origin} among the Trusted Origins of ${target.url}: ${describeAnswer(listed)}`);
  }
  const existing = listed.json.filter(isTrustedOrigin).find((entry) => entry.origin === origin);
  if (existing !== undefined) {
    const scopes = existing.scopes.map((s) => s.type);
    if (existing.status === 'ACTIVE' && REQUIRED_SCOPES.every((s) => scopes.includes(s))) return undefined;
    throw new ApiUnderTestError(
      `${origin} is already a Trusted Origin of ${target.url} ('${existing.name}', ${existing.status}, scopes ${scopes.join('+') || 'none'}) but not an active one with CORS and REDIRECT: fix or delete it; the suite leaves entries it did not create alone`,
    );
  }
  const body = { name: `cors-conformance suite ${origin}`, origin, scopes: REQUIRED_SCOPES.map((type) => ({ type })) };
  const created = await askAdmin(target, (admin) => admin.createResponse(body));
  if (created.status !== 200 || !isTrustedOrigin(created.json)) {
    throw new ApiUnderTestError(`cannot add ${origin} as a Trusted Origin of ${target.url}: ${describeAnswer(created)}`);
  }
  return created.json.id;
}

/** Deletes a Trusted Origin this worker created; already gone is fine. */
export async function untrustOrigin(target: ApiTarget, id: string): Promise<void> {
  const answer = await askAdmin(target, (admin) => admin.deleteResponse(id));
  if (answer.status !== 204 && answer.status !== 404) {
    throw new ApiUnderTestError(`cannot delete the Trusted Origin ${id} this run added to ${target.url}: ${describeAnswer(answer)}`);
  }
}

/** `_embedded.user` of a SUCCESS answer of POST /api/v1/authn. */
export interface SignedInUser {
  id: string;
  profile: { login: string; firstName: string; lastName: string; locale?: string; timeZone?: string };
}

const isSignedInUser = (value: unknown): value is SignedInUser =>
  isRecord(value) &&
  typeof value.id === 'string' &&
  isRecord(value.profile) &&
  typeof value.profile.login === 'string' &&
  typeof value.profile.firstName === 'string' &&
  typeof value.profile.lastName === 'string';

/** An API to sign in to, and how to reach it when it lives under the suite's host names. */
type SignInRoute = Pick<ApiTarget, 'url' | 'label'> & { route?: SuiteNamesRoute };
/** What signing in needs of a target: no admin token. */
export type SignInTarget = SignInRoute & Pick<ApiTarget, 'login' | 'password'>;

/** Okta's primary authentication: a one-time session token for the user. */
export async function authenticate(target: SignInTarget): Promise<{ sessionToken: string; user: SignedInUser }> {
  const answer = await askToSignIn(target, 'POST', `${target.url}/api/v1/authn`, { username: target.login, password: target.password });
  const who = `sign-in as ${target.login} at ${target.url}`;
  if (answer.status === 401) throw new ApiUnderTestError(`${who} failed: ${describeAnswer(answer)}; check ${ENV.login} and ${ENV.password}`);
  const body = answer.json;
  if (answer.status !== 200 || !isRecord(body)) throw new ApiUnderTestError(`${who} failed: ${describeAnswer(answer)}`);
  if (body.status !== 'SUCCESS') {
    throw new ApiUnderTestError(
      `${who} stopped at status ${String(body.status)}: the suite needs a user who signs in with a password alone (no MFA, no expired password)`,
    );
  }
  const user = isRecord(body._embedded) ? body._embedded.user : undefined;
  if (typeof body.sessionToken !== 'string' || body.sessionToken === '' || !isSignedInUser(user)) {
    throw new ApiUnderTestError(`${who}: the SUCCESS answer has no sessionToken or no _embedded.user with a profile`);
  }
  return { sessionToken: body.sessionToken, user };
}

/**
 * Turns the session token into the API's own session cookie in the browser: the page goes to
 * the API's sessionCookieRedirect, which sets the cookie and redirects to `redirectUrl`.
 */
export async function redeemInBrowser(page: EnginePage, target: Pick<ApiTarget, 'url'>, sessionToken: string, redirectUrl: string): Promise<void> {
  const path = '/login/sessionCookieRedirect';
  await page.goto(`${target.url}${path}?token=${encodeURIComponent(sessionToken)}&redirectUrl=${encodeURIComponent(redirectUrl)}`);
  const at = await page.evaluate<{ href: string; text: string }>(
    `({ href: location.href, text: document.body ? document.body.innerText : '' })`,
  );
  if (at.href !== redirectUrl) {
    // Never the token (it is in the URL): where the browser is, and what the page says.
    const where = at.href.startsWith(`${target.url}${path}`) ? `${target.url}${path}` : at.href.split('?')[0];
    const said = at.text.replace(/\s+/g, ' ').trim().slice(0, 300);
    throw new ApiUnderTestError(`${target.url}${path} did not lead to ${redirectUrl}: the browser shows ${where}${said === '' ? '' : `: ${said}`}`);
  }
}

/**
 * Signs the page in without a sign-in navigation, for tests that are not about signing in (the
 * storageState pattern): asks the API's sessionCookieRedirect from here (to `redirectUrl`, which
 * must be a trusted origin's) and puts the cookies it sets into the page's jar with their
 * attributes. Measured against redeemInBrowser, one navigation fewer: ~0.05 s a test in Chromium.
 */
export async function addSessionCookies(page: EnginePage, target: SignInRoute, sessionToken: string, redirectUrl: string): Promise<void> {
  for (const cookie of await sessionCookies(target, sessionToken, redirectUrl)) await page.addCookie(cookie);
}

/** The cookies the API's sessionCookieRedirect sets for `sessionToken`, as a browser would store them. */
export async function sessionCookies(target: SignInRoute, sessionToken: string, redirectUrl: string): Promise<EngineCookie[]> {
  const path = '/login/sessionCookieRedirect';
  const url = `${target.url}${path}?token=${encodeURIComponent(sessionToken)}&redirectUrl=${encodeURIComponent(redirectUrl)}`;
  const answer = await askToSignIn(target, 'GET', url);
  // Never the token (it is in the URL): what the API answered instead of its redirect.
  if (answer.status !== 302 || answer.headers.location !== redirectUrl) {
    // What a browser would show: the body's text, not the head's title.
    const said = answer.text.replace(/<head[\s>][\s\S]*?<\/head>/i, ' ').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300);
    const where = answer.headers.location ? ` to ${answer.headers.location.split('?')[0] ?? ''}` : '';
    throw new ApiUnderTestError(`${target.url}${path} did not redirect to ${redirectUrl}: it answered ${describeAnswer(answer)}${where}${said === '' ? '' : `: ${said}`}`);
  }
  // A cookie set to expire already is one the API deletes: a browser would not keep it either.
  // Set by the redirect's address without its query: the token must not reach messages or reports.
  const setBy = `${target.url}${path}`;
  const cookies = answer.setCookies.map((line) => storedCookie(line, setBy)).filter((c) => c.expires === undefined || c.expires * 1000 > Date.now());
  if (cookies.length === 0) throw new ApiUnderTestError(`${target.url}${path} redirected but set no cookie: no session to sign in with`);
  return cookies;
}

/** One Set-Cookie line as a browser stores it from `url`'s answer (RFC 6265's defaults for Path and expiry). */
function storedCookie(line: string, url: string): EngineCookie {
  const parsed = parseSetCookie(line, { decodeValues: false })[0];
  if (parsed === undefined) throw new ApiUnderTestError(`${new URL(url).origin}: cannot read its Set-Cookie`);
  const requestPath = new URL(url).pathname;
  const sameSite = { strict: 'Strict', lax: 'Lax', none: 'None' }[(parsed.sameSite ?? '').toLowerCase()] as EngineCookie['sameSite'];
  const expiresMs = parsed.maxAge !== undefined ? Date.now() + parsed.maxAge * 1000 : parsed.expires?.getTime();
  return {
    url,
    name: parsed.name,
    value: parsed.value,
    ...(parsed.domain === undefined ? {} : { domain: parsed.domain }),
    path: parsed.path?.startsWith('/') ? parsed.path : requestPath.slice(0, Math.max(requestPath.lastIndexOf('/'), 1)),
    ...(expiresMs === undefined ? {} : { expires: Math.floor(expiresMs / 1000) }),
    httpOnly: parsed.httpOnly === true,
    secure: parsed.secure === true,
    ...(sameSite === undefined ? {} : { sameSite }),
  };
}

/** How the API answers a cookie-less GET /api/v1/users/me from `origin`: its status and CORS headers. */
export async function usersMeWithoutSession(
  target: ApiTarget,
  origin: string,
): Promise<{ status: number; allowOrigin: string | null; allowCredentials: string | null }> {
  const answer = await ask(target, (context) =>
    context.get(`${target.url}/api/v1/users/me`, { headers: { Accept: 'application/json', Origin: origin } }),
  );
  return {
    status: answer.status,
    allowOrigin: answer.headers['access-control-allow-origin'] ?? null,
    allowCredentials: answer.headers['access-control-allow-credentials'] ?? null,
  };
}
