/**
 * Okta's Sessions API for the browser's own session (servers/okta-api/sessions-api.ts), over
 * HTTP: GET / DELETE /api/v1/sessions/me and lifecycle/refresh, with the trusted origins' CORS.
 */
import { expect } from '@playwright/test';
import type { RunningServers } from '../../servers/start.js';
import { apiTest as test } from '../fixtures/api-servers.js';
import { orgOf, sessionCookie } from './oidc-http.js';
import { sendPreflight } from './preflight-http.js';

test.describe.configure({ mode: 'parallel' });


const ME = '/api/v1/sessions/me';

function call(servers: RunningServers, method: string, path: string, headers: Record<string, string>): Promise<Response> {
  // As the SDK sends it: JSON on every call.
  return fetch(`${servers.api.url}${path}`, {
    method,
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...headers },
    ...(method === 'POST' ? { body: '{}' } : {}),
  });
}

test('GET sessions/me with the cookie: the ACTIVE session with the links the SDK follows, CORS for the trusted site', async ({ servers }) => {
  const cookie = await sessionCookie(orgOf(servers));
  const response = await call(servers, 'GET', ME, { Cookie: cookie, Origin: servers.trustedSiteUrl });

  expect(response.status).toBe(200);
  expect(response.headers.get('access-control-allow-origin')).toBe(servers.trustedSiteUrl);
  expect(response.headers.get('access-control-allow-credentials')).toBe('true');
  expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
  expect(response.headers.get('cache-control')).toBe('no-cache, no-store');
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({
    id: expect.stringMatching(/^102/),
    userId: servers.api.account.user.id,
    login: servers.api.account.user.profile.login,
    status: 'ACTIVE',
    amr: ['pwd'],
    idp: { type: 'OKTA' },
    _links: {
      refresh: { href: `${servers.api.url}${ME}/lifecycle/refresh` },
      user: { href: `${servers.api.url}/api/v1/users/me` },
      self: { href: `${servers.api.url}${ME}` },
    },
  });
  expect(Date.parse(body.expiresAt as string)).toBeGreaterThan(Date.now());
  expect(JSON.stringify(body)).not.toContain(cookie.split('=')[1]);
});

test('without a session every sessions/me call answers 404 E0000007, still readable by the trusted site', async ({ servers }) => {
  for (const [method, path] of [['GET', ME], ['DELETE', ME], ['POST', `${ME}/lifecycle/refresh`]] as const) {
    const response = await call(servers, method, path, { Origin: servers.trustedSiteUrl, Cookie: 'sid=not-a-session' });
    expect(response.status, `${method} ${path}`).toBe(404);
    expect(response.headers.get('access-control-allow-origin')).toBe(servers.trustedSiteUrl);
    expect(await response.json()).toMatchObject({ errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: me (Session)' });
  }
});

test('refresh extends the session; DELETE ends it and clears the cookie', async ({ servers }) => {
  const cookie = await sessionCookie(orgOf(servers));
  const before = (await (await call(servers, 'GET', ME, { Cookie: cookie })).json()) as { expiresAt: string };
  await new Promise((resolve) => setTimeout(resolve, 5)); // a later millisecond, so the expiry must move

  const refreshed = await call(servers, 'POST', `${ME}/lifecycle/refresh`, { Cookie: cookie, Origin: servers.trustedSiteUrl });
  expect(refreshed.status).toBe(200);
  expect(refreshed.headers.get('access-control-allow-origin')).toBe(servers.trustedSiteUrl);
  const after = (await refreshed.json()) as { expiresAt: string; status: string };
  expect(after.status).toBe('ACTIVE');
  expect(Date.parse(after.expiresAt)).toBeGreaterThan(Date.parse(before.expiresAt));

  const deleted = await call(servers, 'DELETE', ME, { Cookie: cookie, Origin: servers.trustedSiteUrl });
  expect(deleted.status).toBe(204);
  expect(deleted.headers.getSetCookie()).toEqual([expect.stringMatching(/^sid=;.*Expires=Thu, 01 Jan 1970/)]);
  expect((await call(servers, 'GET', ME, { Cookie: cookie })).status).toBe(404);
});

test('preflight: a trusted origin gets credentials, DELETE and the SDK headers; an untrusted one gets no CORS headers, both Vary: Origin', async ({ servers }) => {
  const preflight = (origin: string) => sendPreflight(`${servers.api.url}${ME}`, origin, 'DELETE', 'content-type,x-okta-user-agent-extended');
  const trusted = await preflight(servers.trustedSiteUrl);
  expect(trusted.status).toBe(204);
  expect(trusted.headers.get('access-control-allow-origin')).toBe(servers.trustedSiteUrl);
  expect(trusted.headers.get('access-control-allow-credentials')).toBe('true');
  expect(trusted.headers.get('access-control-allow-methods')).toContain('DELETE');
  expect(trusted.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-okta-user-agent-extended');

  const untrusted = await preflight(servers.untrustedSiteUrl);
  expect(untrusted.status).toBe(204);
  expect([...untrusted.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
  expect(untrusted.headers.get('vary')).toMatch(/\bOrigin\b/);

  const cookie = await sessionCookie(orgOf(servers));
  const refused = await call(servers, 'GET', ME, { Cookie: cookie, Origin: servers.untrustedSiteUrl });
  expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  expect(refused.headers.get('vary')).toMatch(/\bOrigin\b/);
});

test('other methods: 405 E0000022', async ({ servers }) => {
  const response = await call(servers, 'PUT', ME, {});
  expect(response.status).toBe(405);
  expect(await response.json()).toMatchObject({ errorCode: 'E0000022' });
});
