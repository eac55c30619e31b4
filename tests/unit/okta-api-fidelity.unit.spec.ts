/**
 * What the mock keeps and answers as Okta's API does, over HTTP: `allowedOktaApps` on an
 * IFRAME_EMBED scope, `users/me` under an API token, `X-Rate-Limit-*` on every API answer and
 * 429 E0000047 past a (low) limit, and the Allow-Headers okta-auth-js can send.
 */
import { expect } from '@playwright/test';
import { createOktaApi } from '../../servers/okta-api/app.js';
import { MemoryTrustedOriginStore } from '../../servers/okta-api/trusted-origins/store.js';
import { listen } from '../../servers/listen.js';
import { apiTest as test } from '../fixtures/api-servers.js';
import { ISSUER_PATH } from './oidc-http.js';
import { sendPreflight } from './preflight-http.js';

test.describe.configure({ mode: 'parallel' });

const ssws = (token: string) => ({ Authorization: `SSWS ${token}`, Accept: 'application/json', 'Content-Type': 'application/json' });

test('an IFRAME_EMBED scope keeps allowedOktaApps; other scopes and unknown apps are refused with E0000001', async ({ servers }) => {
  const post = (body: unknown) =>
    fetch(`${servers.api.url}/api/v1/trustedOrigins`, { method: 'POST', headers: ssws(servers.api.adminToken), body: JSON.stringify(body) });
  const created = await post({ name: 'embeds the dashboard', origin: 'https://embed.example', scopes: [{ type: 'IFRAME_EMBED', allowedOktaApps: ['OKTA_ENDUSER'] }, { type: 'CORS' }] });
  expect(created.status).toBe(200);
  const { id, scopes } = (await created.json()) as { id: string; scopes: unknown };
  expect(scopes).toEqual([{ type: 'IFRAME_EMBED', allowedOktaApps: ['OKTA_ENDUSER'] }, { type: 'CORS' }]);
  const read = await fetch(`${servers.api.url}/api/v1/trustedOrigins/${id}`, { headers: ssws(servers.api.adminToken) });
  expect(((await read.json()) as { scopes: unknown }).scopes).toEqual([{ type: 'IFRAME_EMBED', allowedOktaApps: ['OKTA_ENDUSER'] }, { type: 'CORS' }]);

  for (const [scope, cause] of [
    [{ type: 'CORS', allowedOktaApps: ['OKTA_ENDUSER'] }, 'scopes: allowedOktaApps belongs to an IFRAME_EMBED scope only, not to CORS'],
    [{ type: 'IFRAME_EMBED', allowedOktaApps: ['ADMIN_CONSOLE'] }, 'scopes: allowedOktaApps must be a list of OKTA_ENDUSER'],
  ] as const) {
    const refused = await post({ name: `refused ${cause}`, origin: 'https://refused.example', scopes: [scope] });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ errorCode: 'E0000001', errorCauses: [{ errorSummary: cause }] });
  }
  await fetch(`${servers.api.url}/api/v1/trustedOrigins/${id}`, { method: 'DELETE', headers: ssws(servers.api.adminToken) });
});

test('users/me under Authorization: SSWS answers the token\'s owner; a wrong token is an invalid session', async ({ servers }) => {
  const owner = await fetch(`${servers.api.url}/api/v1/users/me`, { headers: ssws(servers.api.adminToken) });
  expect(owner.status).toBe(200);
  expect(await owner.json()).toMatchObject({ id: servers.api.account.user.id, profile: { login: servers.api.account.user.profile.login } });
  const wrong = await fetch(`${servers.api.url}/api/v1/users/me`, { headers: ssws(`${servers.api.adminToken}x`) });
  expect(wrong.status).toBe(403);
  expect(await wrong.json()).toMatchObject({ errorCode: 'E0000005' });
});

test('every API answer carries X-Rate-Limit-Limit, -Remaining and -Reset, readable cross-origin', async ({ servers }) => {
  const now = Math.floor(Date.now() / 1000);
  const answers = [
    await fetch(`${servers.api.url}/api/v1/users/me`, { headers: { Origin: servers.trustedSiteUrl } }),
    await fetch(`${servers.api.url}/api/v1/authn`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }),
    await fetch(`${servers.api.url}${ISSUER_PATH}/v1/token`, { method: 'POST' }),
    await fetch(`${servers.api.url}/api/v1/trustedOrigins`, { headers: ssws(servers.api.adminToken) }),
  ];
  for (const answer of answers) {
    expect(Number(answer.headers.get('x-rate-limit-limit'))).toBeGreaterThan(0);
    expect(Number(answer.headers.get('x-rate-limit-remaining'))).toBeLessThan(Number(answer.headers.get('x-rate-limit-limit')));
    const reset = Number(answer.headers.get('x-rate-limit-reset'));
    expect(reset).toBeGreaterThan(now);
    expect(reset).toBeLessThanOrEqual(now + 61);
  }
  expect(answers[0]?.headers.get('access-control-expose-headers')).toContain('X-Rate-Limit-Remaining');
});

test('past a low limit: 429 E0000047, CORS kept for a trusted origin on a CORS endpoint, none on the admin API', async () => {
  const site = 'http://site.example';
  const trustedOrigins = new MemoryTrustedOriginStore();
  trustedOrigins.addIfAbsent({ name: 'site', origin: site, scopes: ['CORS'] });
  const api = createOktaApi({ trustedOrigins, rateLimit: 2 });
  const listening = await listen(api.app);
  try {
    const usersMe = () => fetch(`${listening.url}/api/v1/users/me`, { headers: { Origin: site } });
    expect((await usersMe()).headers.get('x-rate-limit-remaining')).toBe('1');
    expect((await usersMe()).status).toBe(403);
    const refused = await usersMe();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(refused.headers.get('access-control-allow-origin')).toBe(site);
    expect(refused.headers.get('vary')).toMatch(/\bOrigin\b/);
    expect(await refused.json()).toMatchObject({ errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' });
    // Another endpoint has its own count; a preflight is not counted.
    const preflight = await sendPreflight(`${listening.url}/api/v1/users/me`, site, 'GET');
    expect(preflight.status).toBe(204);
    expect((await fetch(`${listening.url}/api/v1/authn`, { method: 'POST' })).status).not.toBe(429);

    const admin = () => fetch(`${listening.url}/api/v1/trustedOrigins`, { headers: { ...ssws(api.adminToken), Origin: site } });
    await admin();
    await admin();
    const adminRefused = await admin();
    expect(adminRefused.status).toBe(429);
    expect(adminRefused.headers.get('access-control-allow-origin')).toBeNull();
  } finally {
    await listening.close();
  }
});

test('the preflight allows the headers okta-auth-js can add: X-Device-Fingerprint on authn, DPoP on token', async ({ servers }) => {
  for (const [path, header] of [['/api/v1/authn', 'x-device-fingerprint'], [`${ISSUER_PATH}/v1/token`, 'dpop']] as const) {
    const response = await sendPreflight(`${servers.api.url}${path}`, servers.trustedSiteUrl, 'POST', `content-type,${header}`);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase().split(',')).toContain(header);
  }
});
