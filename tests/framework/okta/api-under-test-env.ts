/**
 * Which API the suite tests, read from the environment: the suite's own mock when
 * CORS_API_URL is unset, else that API with CORS_API_TOKEN, CORS_API_LOGIN and
 * CORS_API_PASSWORD. A bad setting is one line saying what is wrong and what to do.
 */

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
