/**
 * The API under test: the suite's own mock by default, or any Okta-compatible API named by
 * the environment (another `npm run serve`, a staging mock, a real org):
 *   CORS_API_URL       its base URL (scheme, host, port)
 *   CORS_API_TOKEN     an SSWS API token: the worker adds its trusted website origin as a
 *                      Trusted Origin (CORS + REDIRECT) at start and deletes it at the end
 *   CORS_API_LOGIN,
 *   CORS_API_PASSWORD  the user the tests sign in as (a user without MFA)
 * The websites always come from the local servers. Everything said to the API goes over HTTP
 * as Okta documents it, so the same code path runs against the mock and the rest: the mock
 * is just an API whose SSWS token and user the suite already knows.
 */
import type { EnginePage } from '../engines/engine.js';
import { test as base } from './fixtures.js';

export const ENV = {
  url: 'CORS_API_URL',
  token: 'CORS_API_TOKEN',
  login: 'CORS_API_LOGIN',
  password: 'CORS_API_PASSWORD',
} as const;

/** A misconfiguration or an API that cannot be used: its message is one line per problem. */
export class ApiUnderTestError extends Error {
  override name = 'ApiUnderTestError';

  constructor(message: string) {
    super(message);
    // The fault is in the environment or the API, not at a line of code: show only the message.
    this.stack = `${this.name}: ${message}`;
  }
}

export type ApiUnderTestConfig =
  | { source: 'own-mock' }
  | { source: 'env'; url: string; token: string; login: string; password: string };

/** Reads and checks the environment; throws ApiUnderTestError with one line per bad variable. */
export function readApiUnderTestEnv(env: NodeJS.ProcessEnv = process.env): ApiUnderTestConfig {
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const url = value(ENV.url);
  const token = value(ENV.token);
  const login = value(ENV.login);
  const password = env[ENV.password] === '' ? undefined : env[ENV.password]; // a password may have spaces
  if (url === undefined) {
    const stray = [ENV.token, ENV.login, ENV.password].filter((name) => value(name) !== undefined);
    if (stray.length === 0) return { source: 'own-mock' };
    throw new ApiUnderTestError(
      `${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} set but ${ENV.url} is not: set ${ENV.url} to the API ${stray.length === 1 ? 'it is' : 'they are'} for, or unset ${stray.length === 1 ? 'it' : 'them'} to test the suite's own mock`,
    );
  }
  const problems: string[] = [];
  const base = apiBaseUrl(url);
  if (typeof base !== 'string') problems.push(base.problem);
  if (token === undefined) {
    problems.push(`${ENV.token} is required with ${ENV.url}: the suite adds its website origins as Trusted Origins through it`);
  }
  if (login === undefined) {
    problems.push(`${ENV.login} is required with ${ENV.url}: the user the suite signs in as (POST /api/v1/authn)`);
  }
  if (password === undefined) problems.push(`${ENV.password} is required with ${ENV.url}: the password of ${ENV.login}`);
  if (problems.length > 0 || typeof base !== 'string' || token === undefined || login === undefined || password === undefined) {
    throw new ApiUnderTestError(problems.join('\n'));
  }
  return { source: 'env', url: base, token, login, password };
}

/** The URL without a trailing `/`, or what is wrong with it. */
function apiBaseUrl(raw: string): string | { problem: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: `${ENV.url} must be an absolute http(s) URL, got '${raw}'` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { problem: `${ENV.url} must be an absolute http(s) URL, got '${raw}'` };
  }
  if (url.username !== '' || url.password !== '') {
    return { problem: `${ENV.url} must not carry a user or password, got '${raw}': the token goes in ${ENV.token}` };
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    return { problem: `${ENV.url} must be the API's base URL (scheme, host, port), got '${raw}': try '${url.origin}'` };
  }
  return url.origin;
}

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
  headers: Headers;
  json: unknown;
}

const CALL_TIMEOUT_MS = 10_000;

/** One HTTP call to the API; a failure to connect becomes one line naming the API. */
async function call(
  target: ApiTarget,
  method: string,
  path: string,
  options: { token?: boolean; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.token === true) headers.Authorization = `SSWS ${target.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${target.url}${path}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      redirect: 'manual',
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
  } catch (error) {
    throw new ApiUnderTestError(`${target.label}: ${connectProblem(error)}`);
  }
  const contentType = response.headers.get('content-type') ?? '';
  const text = await response.text();
  let json: unknown;
  try {
    json = /json/.test(contentType) ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType, headers: response.headers, json };
}

function connectProblem(error: unknown): string {
  const failure = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (failure.name === 'TimeoutError') return `no answer within ${CALL_TIMEOUT_MS / 1000} s; is it the API's address?`;
  const code = failure.cause?.code ?? failure.cause?.message ?? failure.message ?? String(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve its host name (${code}); is the URL right?`;
  return `cannot connect (${code}); is the API running?`;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

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

interface TrustedOriginJson {
  id: string;
  name: string;
  origin: string;
  status: string;
  scopes: { type: string }[];
}

const isTrustedOrigin = (value: unknown): value is TrustedOriginJson =>
  isRecord(value) && typeof value.id === 'string' && typeof value.origin === 'string' && Array.isArray(value.scopes);

/** Proves the API answers and takes the token, before any test relies on either. */
export async function checkApi(target: ApiTarget): Promise<void> {
  const answer = await call(target, 'GET', `${TRUSTED_ORIGINS}?limit=1`, { token: true });
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
  const filter = encodeURIComponent(`origin eq "${origin}"`);
  const listed = await call(target, 'GET', `${TRUSTED_ORIGINS}?filter=${filter}`, { token: true });
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
  const created = await call(target, 'POST', TRUSTED_ORIGINS, {
    token: true,
    body: { name: `cors-conformance suite ${origin}`, origin, scopes: REQUIRED_SCOPES.map((type) => ({ type })) },
  });
  if (created.status !== 200 || !isTrustedOrigin(created.json)) {
    throw new ApiUnderTestError(`cannot add ${origin} as a Trusted Origin of ${target.url}: ${describeAnswer(created)}`);
  }
  return created.json.id;
}

/** Deletes a Trusted Origin this worker created; already gone is fine. */
export async function untrustOrigin(target: ApiTarget, id: string): Promise<void> {
  const answer = await call(target, 'DELETE', `${TRUSTED_ORIGINS}/${encodeURIComponent(id)}`, { token: true });
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

/** Okta's primary authentication: a one-time session token for the user. */
export async function authenticate(target: ApiTarget): Promise<{ sessionToken: string; user: SignedInUser }> {
  const answer = await call(target, 'POST', '/api/v1/authn', { body: { username: target.login, password: target.password } });
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
export async function redeemInBrowser(page: EnginePage, target: ApiTarget, sessionToken: string, redirectUrl: string): Promise<void> {
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

/** How the API answers a cookie-less GET /api/v1/users/me from `origin`: its status and CORS headers. */
export async function usersMeWithoutSession(
  target: ApiTarget,
  origin: string,
): Promise<{ status: number; allowOrigin: string | null; allowCredentials: string | null }> {
  const answer = await call(target, 'GET', '/api/v1/users/me', { headers: { Origin: origin } });
  return {
    status: answer.status,
    allowOrigin: answer.headers.get('access-control-allow-origin'),
    allowCredentials: answer.headers.get('access-control-allow-credentials'),
  };
}

/** What tests see of the API under test (never its token or password). */
export interface ApiUnderTest {
  url: string;
  /** 'own-mock' when CORS_API_URL is unset, else 'env'. */
  source: ApiUnderTestConfig['source'];
  /** The user tests sign in as. */
  login: string;
  /** The website origin the API trusts (CORS and REDIRECT): `servers.trustedSiteUrl`. */
  trustedSiteUrl: string;
  /** The same website on an origin the API does not trust: `servers.untrustedSiteUrl`. */
  untrustedSiteUrl: string;
  /** How the API answers GET /api/v1/users/me from `origin` without a session (Node, no browser). */
  usersMeWithoutSession(origin: string): ReturnType<typeof usersMeWithoutSession>;
}

export interface ApiUnderTestWorkerFixtures {
  apiTarget: ApiTarget;
  apiUnderTest: ApiUnderTest;
}

export interface ApiUnderTestFixtures {
  /**
   * Signs the test's page in: POST /api/v1/authn from Node, then the page through the API's
   * sessionCookieRedirect, which sets the cookie and lands on `redirectUrl` (default: the
   * trusted site's test page). Returns the user the API said it signed in.
   */
  signInToApi: (redirectUrl?: string) => Promise<SignedInUser>;
  /** Names the API under test on every test's report. */
  apiUnderTestAnnotation: void;
}

export const test = base.extend<ApiUnderTestFixtures, ApiUnderTestWorkerFixtures>({
  apiTarget: [
    async ({ servers }, use) => {
      const config = readApiUnderTestEnv();
      const target: ApiTarget =
        config.source === 'env'
          ? { ...config, label: `${ENV.url} ${config.url}` }
          : {
              source: 'own-mock',
              url: servers.api.url,
              label: `the suite's mock API ${servers.api.url}`,
              token: servers.api.adminToken,
              login: servers.api.account.user.profile.login,
              password: servers.api.account.password,
            };
      await use(target);
    },
    { scope: 'worker' },
  ],

  apiUnderTest: [
    async ({ apiTarget, servers }, use) => {
      await checkApi(apiTarget);
      // The mock already trusts its own site (start.ts); then nothing is created or deleted.
      const created = await trustOrigin(apiTarget, servers.trustedSiteUrl);
      try {
        await use({
          url: apiTarget.url,
          source: apiTarget.source,
          login: apiTarget.login,
          trustedSiteUrl: servers.trustedSiteUrl,
          untrustedSiteUrl: servers.untrustedSiteUrl,
          usersMeWithoutSession: (origin) => usersMeWithoutSession(apiTarget, origin),
        });
      } finally {
        if (created !== undefined) await untrustOrigin(apiTarget, created);
      }
    },
    { scope: 'worker' },
  ],

  signInToApi: async ({ apiTarget, apiUnderTest, enginePage }, use) => {
    await use(async (redirectUrl = `${apiUnderTest.trustedSiteUrl}/`) => {
      const { sessionToken, user } = await authenticate(apiTarget);
      await redeemInBrowser(enginePage, apiTarget, sessionToken, redirectUrl);
      return user;
    });
  },

  apiUnderTestAnnotation: [
    async ({ apiUnderTest }, use, testInfo) => {
      const source = apiUnderTest.source === 'env' ? ENV.url : "the suite's own mock";
      testInfo.annotations.push({ type: 'api-under-test', description: `${apiUnderTest.url} (${source})` });
      await use();
    },
    { auto: true },
  ],
});

export { expect } from './fixtures.js';
