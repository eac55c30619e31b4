/**
 * The Trusted Origins admin API over HTTP only (no browser): Okta's operations, object
 * shape, validation and error bodies, the token guard, CORS read live from the store,
 * the APIs without CORS, and the store's files. Runs once, in the `unit` project, against
 * servers this file starts itself (one set per worker).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, type APIRequestContext, type APIResponse } from '@playwright/test';
import { startServers, type RunningServers } from '../../servers/start.js';
import { apiTest } from '../fixtures/api-servers.js';
import {
  expectOktaError,
  TrustedOriginsAdmin,
  type TrustedOriginBody,
  type TrustedOriginJson,
} from '../framework/okta/trusted-origins-admin-client.js';

const test = apiTest.extend<{ unique: string; tmp: string }>({
  // Names and origins of this test only, so nothing depends on what other tests left.
  unique: async ({}, use) => {
    await use(randomUUID().slice(0, 8));
  },
  tmp: async ({}, use) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'trusted-origins-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
});

test.describe.configure({ mode: 'parallel' });

const CORS = [{ type: 'CORS' }];
const ALREADY_EXISTS = 'An object with this field already exists in the current organization';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const body = (unique: string, label = 'a'): TrustedOriginBody => ({
  name: `unit ${unique} ${label}`,
  origin: `http://${label}-${unique}.example`,
  scopes: CORS,
});

/** The whole list, to prove a refused request changed nothing. */
const snapshot = (admin: TrustedOriginsAdmin): Promise<TrustedOriginJson[]> => admin.list({ limit: 200 });

test.describe('the token guard', () => {
  const calls: [string, (r: APIRequestContext, url: string, headers: Record<string, string>) => Promise<APIResponse>][] = [
    ['POST /', (r, url, headers) => r.post(url, { headers, data: { name: 'x', origin: 'http://x.example', scopes: CORS } })],
    ['GET /', (r, url, headers) => r.get(url, { headers })],
    ['GET /{id}', (r, url, headers) => r.get(`${url}/tosAAAAAAAAAAAAAAAAA`, { headers })],
    ['PUT /{id}', (r, url, headers) => r.put(`${url}/tosAAAAAAAAAAAAAAAAA`, { headers, data: {} })],
    ['DELETE /{id}', (r, url, headers) => r.delete(`${url}/tosAAAAAAAAAAAAAAAAA`, { headers })],
    ['POST /{id}/lifecycle/activate', (r, url, headers) => r.post(`${url}/tosAAAAAAAAAAAAAAAAA/lifecycle/activate`, { headers })],
    ['POST /{id}/lifecycle/deactivate', (r, url, headers) => r.post(`${url}/tosAAAAAAAAAAAAAAAAA/lifecycle/deactivate`, { headers })],
  ];

  for (const [name, call] of calls) {
    test(`${name} without a token, with a wrong one or another scheme: 401 E0000011`, async ({ request, admin, servers }) => {
      const before = await snapshot(admin);
      const token = servers.api.adminToken;
      const wrongSameLength = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      const refused: Record<string, string>[] = [
        {},
        { Authorization: '' },
        { Authorization: `SSWS ${wrongSameLength}` },
        { Authorization: `SSWS ${token.slice(0, 10)}` },
        { Authorization: `SSWS ${token}x` },
        { Authorization: `Bearer ${token}` },
        { Authorization: token },
      ];
      for (const headers of refused) {
        await expectOktaError(await call(request, admin.url(), headers), 401, 'E0000011', 'Invalid token provided', []);
      }
      expect(await snapshot(admin)).toEqual(before);
    });
  }

  test('the token is checked before the body is read', async ({ request, admin }) => {
    const response = await request.post(admin.url(), { headers: { 'Content-Type': 'application/json' }, data: '{bad json' });
    await expectOktaError(response, 401, 'E0000011', 'Invalid token provided');
  });

  test('a token is random per start, or the one given', async () => {
    const [a, b] = [await startServers(), await startServers({ adminToken: 'my-own-admin-token-0123' })];
    try {
      expect(a.api.adminToken).toMatch(/^00[A-Za-z0-9_-]{40}$/);
      expect(a.api.adminToken).not.toBe(b.api.adminToken);
      expect(b.api.adminToken).toBe('my-own-admin-token-0123');
      const response = await fetch(`${b.api.url}/api/v1/trustedOrigins`, {
        headers: { Authorization: 'SSWS my-own-admin-token-0123' },
      });
      expect(response.status).toBe(200);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('a token too short or with spaces is refused at start', async () => {
    await expect(startServers({ adminToken: 'short' })).rejects.toThrow(/admin API token must be/);
    await expect(startServers({ adminToken: 'has a space in it 0123' })).rejects.toThrow(/admin API token must be/);
  });
});

test.describe('operations', () => {
  test('POST creates an ACTIVE entry shaped as Okta answers it', async ({ admin, servers, unique }) => {
    const response = await admin.createResponse({ ...body(unique), scopes: [{ type: 'CORS' }, { type: 'REDIRECT' }] });
    expect(response.status()).toBe(200);
    expect(response.headers()['x-okta-request-id']).toMatch(/^\S+$/);
    const created = (await response.json()) as TrustedOriginJson;
    const self = admin.url(`/${created.id}`);
    expect(Object.keys(created)).toEqual([
      'id', 'name', 'origin', 'status', 'scopes', 'created', 'createdBy', 'lastUpdated', 'lastUpdatedBy', '_links',
    ]);
    expect(created).toEqual({
      id: expect.stringMatching(/^tos[0-9A-Za-z]{17}$/),
      name: `unit ${unique} a`,
      origin: `http://a-${unique}.example`,
      status: 'ACTIVE',
      scopes: [{ type: 'CORS' }, { type: 'REDIRECT' }],
      created: expect.stringMatching(ISO),
      createdBy: servers.api.account.user.id,
      lastUpdated: created.created,
      lastUpdatedBy: servers.api.account.user.id,
      _links: {
        self: { href: self, hints: { allow: ['GET', 'PUT', 'DELETE'] } },
        deactivate: { href: `${self}/lifecycle/deactivate`, hints: { allow: ['POST'] } },
      },
    });
    expect(await admin.get(created.id)).toEqual(created);
  });

  test('IFRAME_EMBED is a scope too', async ({ admin, unique }) => {
    const created = await admin.create({ ...body(unique), scopes: [{ type: 'IFRAME_EMBED' }] });
    expect(created.scopes).toEqual([{ type: 'IFRAME_EMBED' }]);
  });

  test('PUT replaces name, origin and scopes; keeps id, status and creation; ignores read-only fields', async ({
    admin, unique,
  }) => {
    const created = await admin.create(body(unique));
    await admin.deactivate(created.id);
    const replaced = await admin.replace(created.id, {
      ...body(unique, 'b'),
      scopes: [{ type: 'REDIRECT' }],
      id: 'tosSomethingElse0000',
      status: 'ACTIVE',
      created: '2000-01-01T00:00:00.000Z',
    });
    expect(replaced).toMatchObject({
      id: created.id,
      name: `unit ${unique} b`,
      origin: `http://b-${unique}.example`,
      status: 'INACTIVE',
      scopes: [{ type: 'REDIRECT' }],
      created: created.created,
      createdBy: created.createdBy,
    });
    expect(Date.parse(replaced.lastUpdated)).toBeGreaterThanOrEqual(Date.parse(created.lastUpdated));
    expect(await admin.get(created.id)).toEqual(replaced);
    // Keeping its own name and origin is no clash with itself.
    expect(await admin.replace(created.id, { ...body(unique, 'b'), scopes: CORS })).toMatchObject({ scopes: CORS });
  });

  test('DELETE removes it: 204, then 404 for GET, PUT, DELETE and lifecycle', async ({ admin, unique }) => {
    const { id } = await admin.create(body(unique));
    const response = await admin.deleteResponse(id);
    expect(response.status()).toBe(204);
    expect(await response.text()).toBe('');
    const summary = `Not found: Resource not found: ${id} (TrustedOrigin)`;
    await expectOktaError(await admin.getResponse(id), 404, 'E0000007', summary, []);
    await expectOktaError(await admin.replaceResponse(id, body(unique)), 404, 'E0000007', summary);
    await expectOktaError(await admin.deleteResponse(id), 404, 'E0000007', summary);
    await expectOktaError(await admin.lifecycleResponse(id, 'activate'), 404, 'E0000007', summary);
    await expectOktaError(await admin.lifecycleResponse(id, 'deactivate'), 404, 'E0000007', summary);
    expect((await snapshot(admin)).map((e) => e.id)).not.toContain(id);
  });

  test('deactivate and activate switch the status and the lifecycle link; repeating one is harmless', async ({
    admin, unique,
  }) => {
    const { id } = await admin.create(body(unique));
    const inactive = await admin.deactivate(id);
    expect(inactive.status).toBe('INACTIVE');
    expect(Object.keys(inactive._links)).toEqual(['self', 'activate']);
    expect(inactive._links.activate?.href).toBe(admin.url(`/${id}/lifecycle/activate`));
    expect(await admin.deactivate(id)).toEqual(inactive);
    const active = await admin.activate(id);
    expect(active.status).toBe('ACTIVE');
    expect(Object.keys(active._links)).toEqual(['self', 'deactivate']);
  });

  test('unknown ids, operations and methods: 404 E0000007 or 405 E0000022', async ({ request, admin }) => {
    const headers = admin.headers;
    await expectOktaError(await admin.getResponse('tosNoSuchOrigin00000'), 404, 'E0000007',
      'Not found: Resource not found: tosNoSuchOrigin00000 (TrustedOrigin)');
    await expectOktaError(await request.post(admin.url('/tosNoSuchOrigin00000/lifecycle/suspend'), { headers }), 404, 'E0000007', /^Not found/);
    await expectOktaError(await request.patch(admin.url('/tosNoSuchOrigin00000'), { headers, data: {} }), 405, 'E0000022', /HTTP method/);
    await expectOktaError(await request.delete(admin.url(), { headers }), 405, 'E0000022', /HTTP method/);
    await expectOktaError(await request.get(admin.url('/tosNoSuchOrigin00000/lifecycle/activate'), { headers }), 405, 'E0000022', /HTTP method/);
  });
});

test.describe('the list', () => {
  test('filter on name, origin, status, type and id, with and/or and parentheses; q prefix-matches', async ({
    admin, unique,
  }) => {
    const a = await admin.create({ ...body(unique, 'a'), scopes: [{ type: 'CORS' }, { type: 'REDIRECT' }] });
    const b = await admin.create({ ...body(unique, 'b'), scopes: [{ type: 'REDIRECT' }] });
    const c = await admin.create(body(unique, 'c'));
    await admin.deactivate(c.id);
    const ids = async (params: Record<string, string>): Promise<string[]> => (await admin.list(params)).map((e) => e.id);

    expect(await ids({ filter: `name eq "unit ${unique} b"` })).toEqual([b.id]);
    expect(await ids({ filter: `origin eq "http://a-${unique}.example"` })).toEqual([a.id]);
    expect(await ids({ filter: `id eq "${c.id}"` })).toEqual([c.id]);
    expect(await ids({ q: `unit ${unique}`, filter: 'status eq "INACTIVE"' })).toEqual([c.id]);
    expect(await ids({ q: `unit ${unique}`, filter: 'type eq "REDIRECT"' })).toEqual([a.id, b.id]);
    expect(await ids({ filter: `(name eq "unit ${unique} a" or name eq "unit ${unique} c") and status eq "ACTIVE"` })).toEqual([a.id]);
    expect(await ids({ filter: `name eq "unit ${unique} a" or name eq "unit ${unique} c" and status eq "ACTIVE"` })).toEqual([a.id]);
    expect(await ids({ q: `http://B-${unique}` })).toEqual([b.id]);
    expect(await ids({ q: `unit ${unique}` })).toEqual([a.id, b.id, c.id]);
  });

  test('limit pages the list; Link rel="next" carries the after cursor', async ({ admin, unique }) => {
    const created: string[] = [];
    for (const label of ['a', 'b', 'c', 'd', 'e']) created.push((await admin.create(body(unique, label))).id);
    const seen: string[] = [];
    let response = await admin.listResponse({ q: `unit ${unique}`, limit: 2 });
    for (;;) {
      expect(response.status()).toBe(200);
      const page = (await response.json()) as TrustedOriginJson[];
      expect(page.length).toBeLessThanOrEqual(2);
      seen.push(...page.map((e) => e.id));
      const next = /<([^>]+)>; rel="next"/.exec(response.headers()['link'] ?? '')?.[1];
      if (next === undefined) break;
      expect(new URL(next).searchParams.get('limit')).toBe('2');
      response = await admin.request.get(next, { headers: admin.headers });
    }
    expect(seen).toEqual(created);
  });

  test('limit defaults to 20', async ({ admin, unique }) => {
    for (let i = 0; i < 21; i++) await admin.create(body(unique, `n${i}`));
    const response = await admin.listResponse({ q: `unit ${unique}` });
    expect(((await response.json()) as unknown[]).length).toBe(20);
    expect(response.headers()['link']).toMatch(/rel="next"/);
  });

  for (const limit of ['0', '201', 'abc', '-1', '2.5']) {
    test(`limit=${limit}: 400 E0000001`, async ({ admin }) => {
      await expectOktaError(await admin.listResponse({ limit }), 400, 'E0000001', 'Api validation failed: limit', [
        'limit: The limit is a whole number from 1 to 200',
      ]);
    });
  }

  for (const filter of ['name = "x"', 'color eq "red"', 'name eq x', 'name eq 5', 'name ne "x"', 'not (name eq "x")', 'name pr', 'name eq "x', '(name eq "x"', 'name eq "x" xor', '']) {
    test(`filter=${JSON.stringify(filter)}: 400 E0000031`, async ({ admin }) => {
      await expectOktaError(await admin.listResponse({ filter }), 400, 'E0000031', 'Invalid search criteria.', [/^filter: /]);
    });
  }

  test('an after cursor that is no id of the list: 400 E0000001', async ({ admin }) => {
    await expectOktaError(await admin.listResponse({ after: 'tosNoSuchOrigin00000' }), 400, 'E0000001', 'Api validation failed: after');
  });
});

test.describe('validation: 400 E0000001 with the causes, and nothing written', () => {
  const origin = (value: unknown) => (unique: string) => ({ ...body(unique), origin: value });
  const name = (value: unknown) => (unique: string) => ({ ...body(unique), name: value });
  const scopes = (value: unknown) => (unique: string) => ({ ...body(unique), scopes: value });
  const INVALID_ORIGIN = 'origin: Origin value is not valid';
  const cases: [string, (unique: string) => TrustedOriginBody, string, (string | RegExp)[]][] = [
    ['an origin without scheme', origin('example.com'), 'origin', [INVALID_ORIGIN]],
    ['an origin that is host:port', origin('localhost:3000'), 'origin', [INVALID_ORIGIN]],
    ['an origin with a path', origin('http://example.com/app'), 'origin', [INVALID_ORIGIN]],
    ['an origin with a trailing slash', origin('http://example.com/'), 'origin', [INVALID_ORIGIN]],
    ['an origin with a query', origin('http://example.com?x=1'), 'origin', [INVALID_ORIGIN]],
    ['an origin with a fragment', origin('http://example.com#top'), 'origin', [INVALID_ORIGIN]],
    ['an origin with user info', origin('http://user@example.com'), 'origin', [INVALID_ORIGIN]],
    ['an origin in upper case', origin('http://Example.com'), 'origin', [INVALID_ORIGIN]],
    ['an origin with its default port', origin('https://example.com:443'), 'origin', [INVALID_ORIGIN]],
    ['an origin of another scheme', origin('ws://example.com'), 'origin', [INVALID_ORIGIN]],
    ['an origin that is not text', origin(42), 'origin', ['origin: The field must be a string']],
    ['no origin', origin(undefined), 'origin', ['origin: The field cannot be left blank']],
    ['an origin over 255 characters', origin(`http://${'a'.repeat(249)}.com`), 'origin', ['origin: The field cannot exceed 255 characters']],
    ['no name', name(undefined), 'name', ['name: The field cannot be left blank']],
    ['a blank name', name('   '), 'name', ['name: The field cannot be left blank']],
    ['a name that is not text', name(['x']), 'name', ['name: The field must be a string']],
    ['a name over 255 characters', name('n'.repeat(256)), 'name', ['name: The field cannot exceed 255 characters']],
    ['an unknown scope', scopes([{ type: 'CORS' }, { type: 'EVERYTHING' }]), 'scopes', [/^scopes: "EVERYTHING" is not a valid scope type; use CORS, REDIRECT, IFRAME_EMBED$/]],
    ['a scope in lower case', scopes([{ type: 'cors' }]), 'scopes', [/^scopes: "cors" is not a valid scope type/]],
    ['a scope given as a string', scopes(['CORS']), 'scopes', [/^scopes: "CORS" is not a valid scope type/]],
    ['a scope twice', scopes([{ type: 'CORS' }, { type: 'CORS' }]), 'scopes', ['scopes: CORS is listed more than once']],
    ['no scopes', scopes(undefined), 'scopes', [/^scopes: The field cannot be left blank/]],
    ['an empty scope list', scopes([]), 'scopes', [/^scopes: The field cannot be left blank/]],
    ['scopes that are not a list', scopes('CORS'), 'scopes', [/^scopes: The field must be a list/]],
    ['every field wrong at once', () => ({ name: '', origin: 'example.com', scopes: [{ type: 'X' }] }), 'name', [
      'name: The field cannot be left blank', INVALID_ORIGIN, /^scopes: "X" is not a valid scope type/,
    ]],
  ];

  for (const [what, make, field, causes] of cases) {
    test(`POST with ${what}`, async ({ admin, unique }) => {
      const before = await snapshot(admin);
      await expectOktaError(await admin.createResponse(make(unique)), 400, 'E0000001', `Api validation failed: ${field}`, causes);
      expect(await snapshot(admin)).toEqual(before);
    });
  }

  test('PUT with each of those leaves the entry as it was', async ({ admin, unique }) => {
    const created = await admin.create(body(unique));
    const { _links: _, ...stored } = created;
    for (const [, make, field, causes] of cases) {
      await expectOktaError(await admin.replaceResponse(created.id, make(unique)), 400, 'E0000001', `Api validation failed: ${field}`, causes);
    }
    expect(await admin.get(created.id)).toMatchObject(stored);
  });

  test('255 characters are allowed for name and origin', async ({ admin, unique }) => {
    const label = 'a'.repeat(60);
    // The last label must not be numeric (URL would read the host as IPv4), so end on ".test".
    const host = `${label}.${label}.${label}.x${unique}${'b'.repeat(248 - 3 * 61 - unique.length - 1 - 5)}.test`;
    const longOrigin = `http://${host}`;
    expect(longOrigin).toHaveLength(255);
    const created = await admin.create({ name: `${unique}${'n'.repeat(255 - unique.length)}`, origin: longOrigin, scopes: CORS });
    expect(created.origin).toBe(longOrigin);
  });

  test('Okta\'s other schemes are origins too: https with a port, ftp, ionic, capacitor', async ({ admin, unique }) => {
    for (const o of [`https://${unique}.example:8443`, `ftp://${unique}.example`, `ionic://${unique}`, `capacitor://${unique}`]) {
      expect((await admin.create({ name: `unit ${unique} ${o}`, origin: o, scopes: [{ type: 'REDIRECT' }] })).origin).toBe(o);
    }
  });

  test('a name or an origin already taken: POST and PUT refused, both entries unchanged', async ({ admin, unique }) => {
    const a = await admin.create(body(unique, 'a'));
    const b = await admin.create(body(unique, 'b'));
    const before = await snapshot(admin);
    await expectOktaError(await admin.createResponse({ ...body(unique, 'c'), name: a.name }), 400, 'E0000001',
      'Api validation failed: name', [`name: ${ALREADY_EXISTS}`]);
    await expectOktaError(await admin.createResponse({ ...body(unique, 'c'), origin: a.origin }), 400, 'E0000001',
      'Api validation failed: origin', [`origin: ${ALREADY_EXISTS}`]);
    await expectOktaError(await admin.createResponse({ ...body(unique, 'a') }), 400, 'E0000001',
      'Api validation failed: name', [`name: ${ALREADY_EXISTS}`, `origin: ${ALREADY_EXISTS}`]);
    await expectOktaError(await admin.replaceResponse(b.id, { ...body(unique, 'b'), origin: a.origin }), 400, 'E0000001',
      'Api validation failed: origin', [`origin: ${ALREADY_EXISTS}`]);
    // An inactive entry still holds its name and origin.
    await admin.deactivate(a.id);
    await expectOktaError(await admin.createResponse({ ...body(unique, 'c'), origin: a.origin }), 400, 'E0000001',
      'Api validation failed: origin', [`origin: ${ALREADY_EXISTS}`]);
    await admin.activate(a.id);
    expect((await snapshot(admin)).map(({ lastUpdated: _l, ...rest }) => rest)).toEqual(
      before.map(({ lastUpdated: _l, ...rest }) => rest),
    );
  });

  test('a body that is no JSON object: 400 E0000003, nothing written', async ({ request, admin, unique }) => {
    const created = await admin.create(body(unique));
    const before = await snapshot(admin);
    const json = { ...admin.headers, 'Content-Type': 'application/json' };
    const sends: [string, Promise<APIResponse>, RegExp][] = [
      ['malformed JSON', request.post(admin.url(), { headers: json, data: '{"name": "x",' }), /not valid JSON/],
      ['malformed JSON on PUT', request.put(admin.url(`/${created.id}`), { headers: json, data: '{' }), /not valid JSON/],
      ['a JSON list', request.post(admin.url(), { headers: json, data: '[]' }), /must be a JSON object/],
      ['a JSON string', request.post(admin.url(), { headers: json, data: '"x"' }), /not valid JSON/],
      ['no body', request.post(admin.url(), { headers: admin.headers }), /Content-Type: application\/json/],
      ['a form', request.post(admin.url(), { headers: admin.headers, form: { name: 'x' } }), /Content-Type: application\/json/],
      ['more than 16 kB', request.post(admin.url(), { headers: json, data: JSON.stringify({ name: 'x'.repeat(20_000) }) }), /too large/],
    ];
    for (const [what, send, cause] of sends) {
      await test.step(what, async () => {
        await expectOktaError(await send, 400, 'E0000003', 'The request body was not well-formed.', [cause]);
      });
    }
    expect(await snapshot(admin)).toEqual(before);
  });
});

test.describe('CORS reads the live store', () => {
  const usersMe = (request: APIRequestContext, servers: RunningServers, origin: string) =>
    request.get(`${servers.api.url}/api/v1/users/me`, { headers: { Origin: origin } });

  test('trusted only while ACTIVE with the CORS scope, from the next request on', async ({ request, admin, servers, unique }) => {
    const site = `http://a-${unique}.example`;
    const allowOrigin = async (): Promise<string | undefined> => {
      const response = await usersMe(request, servers, site);
      expect(response.headers()['vary']).toMatch(/\bOrigin\b/);
      return response.headers()['access-control-allow-origin'];
    };
    expect(await allowOrigin()).toBeUndefined();
    const { id } = await admin.create(body(unique));
    expect(await allowOrigin()).toBe(site);
    await admin.deactivate(id);
    expect(await allowOrigin()).toBeUndefined();
    await admin.activate(id);
    expect(await allowOrigin()).toBe(site);
    await admin.replace(id, { ...body(unique), scopes: [{ type: 'REDIRECT' }, { type: 'IFRAME_EMBED' }] });
    expect(await allowOrigin()).toBeUndefined();
    await admin.replace(id, body(unique));
    expect(await allowOrigin()).toBe(site);
    await admin.delete(id);
    expect(await allowOrigin()).toBeUndefined();
  });

  test('only the exact origin: never a near one, never reflected', async ({ request, admin, servers, unique }) => {
    const site = `http://a-${unique}.example:8080`;
    await admin.create({ ...body(unique), origin: site });
    expect((await usersMe(request, servers, site)).headers()['access-control-allow-origin']).toBe(site);
    for (const near of [
      `${site}/`, `https://a-${unique}.example:8080`, `http://a-${unique}.example:8081`, `http://a-${unique}.example`,
      `http://A-${unique}.EXAMPLE:8080`, `http://a-${unique}.example:8080.evil.example`, `http://x.a-${unique}.example:8080`,
      'null', '*',
    ]) {
      const response = await usersMe(request, servers, near);
      expect(response.headers(), near).not.toHaveProperty('access-control-allow-origin');
      expect(response.headers()['vary']).toMatch(/\bOrigin\b/);
    }
  });

  test('the admin API and GET /api/v1/org answer a trusted origin without CORS headers, Vary: Origin still', async ({
    request, admin, servers,
  }) => {
    const trusted = servers.trustedSiteUrl;
    const withToken = { ...admin.headers, Origin: trusted };
    expect((await usersMe(request, servers, trusted)).headers()['access-control-allow-origin']).toBe(trusted);
    const preflight = (url: string) =>
      request.fetch(url, {
        method: 'OPTIONS',
        headers: { Origin: trusted, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
      });
    const responses: [string, APIResponse, number][] = [
      ['admin list', await request.get(admin.url(), { headers: withToken }), 200],
      ['admin preflight', await preflight(admin.url()), 204],
      ['org', await request.get(`${servers.api.url}/api/v1/org`, { headers: withToken }), 200],
      ['org preflight', await preflight(`${servers.api.url}/api/v1/org`), 204],
      ['org without credentials', await request.get(`${servers.api.url}/api/v1/org`, { headers: { Origin: trusted } }), 401],
    ];
    for (const [what, response, status] of responses) {
      expect(response.status(), what).toBe(status);
      const headers = response.headers();
      expect(Object.keys(headers).filter((h) => h.startsWith('access-control-')), what).toEqual([]);
      expect(headers['vary'], what).toMatch(/\bOrigin\b/);
    }
    const org = await request.get(`${servers.api.url}/api/v1/org`, { headers: admin.headers });
    expect(await org.json()).toMatchObject({ id: expect.stringMatching(/^00o/), status: 'ACTIVE' });
  });
});

test.describe('the store: per server, and in files', () => {
  test('each set of servers has its own store', async ({ request, servers, unique }) => {
    const other = await startServers();
    try {
      const mine = new TrustedOriginsAdmin(request, servers.api.url, servers.api.adminToken);
      const theirs = new TrustedOriginsAdmin(request, other.api.url, other.api.adminToken);
      const { id } = await theirs.create(body(unique));
      await expectOktaError(await mine.getResponse(id), 404, 'E0000007', /Not found/);
      expect(await mine.list({ q: `unit ${unique}` })).toEqual([]);
    } finally {
      await other.close();
    }
  });

  test('the store file keeps the list across restarts, written whole (no temporary file left)', async ({ request, tmp, unique }) => {
    const file = path.join(tmp, 'trusted-origins.json');
    const first = await startServers({ trustedOriginsFile: file, adminToken: 'file-store-token-0123' });
    let kept: TrustedOriginJson[];
    let id: string;
    try {
      const admin = new TrustedOriginsAdmin(request, first.api.url, first.api.adminToken);
      id = (await admin.create(body(unique))).id;
      await admin.deactivate(id);
      kept = await admin.list();
      expect(kept).toHaveLength(2); // the website's own entry and ours
      const stored = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
      expect(stored).toEqual(kept.map(({ _links: _, ...entry }) => entry));
      expect(readdirSync(tmp)).toEqual(['trusted-origins.json']);
    } finally {
      await first.close();
    }

    const second = await startServers({ trustedOriginsFile: file, ports: {} });
    try {
      const admin = new TrustedOriginsAdmin(request, second.api.url, second.api.adminToken);
      const after = await admin.list();
      const strip = (list: TrustedOriginJson[]) => list.map(({ _links: _, ...entry }) => entry);
      // Ours as it was; the old site entry kept; the new site (another free port) added.
      expect(strip(after).slice(0, 2)).toEqual(strip(kept));
      expect(after.find((e) => e.id === id)?.status).toBe('INACTIVE');
      expect(after.at(-1)?.origin).toBe(second.trustedSiteUrl);
      await admin.delete(id);
      expect((JSON.parse(readFileSync(file, 'utf8')) as { id: string }[]).map((e) => e.id)).not.toContain(id);
    } finally {
      await second.close();
    }
  });

  test('a failed file write refuses the change whole: 500, memory and file as before', async ({ request, tmp, unique }) => {
    const file = path.join(tmp, 'trusted-origins.json');
    const servers = await startServers({ trustedOriginsFile: file });
    try {
      const admin = new TrustedOriginsAdmin(request, servers.api.url, servers.api.adminToken);
      const before = await snapshot(admin);
      // A directory where the file should be: the rename fails.
      rmSync(file);
      mkdirSync(file);
      await expectOktaError(await admin.createResponse(body(unique)), 500, 'E0000009', 'Internal Server Error', [
        /^The change was not saved: cannot write trusted origins file .*EISDIR/,
      ]);
      expect(await snapshot(admin)).toEqual(before);
      expect(readdirSync(tmp)).toEqual(['trusted-origins.json']);
      expect(readdirSync(file)).toEqual([]);
      rmSync(file, { recursive: true });
      await admin.create(body(unique));
      expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveLength(before.length + 1);
    } finally {
      await servers.close();
    }
  });

  test('a seed file (even a saved GET answer) is read once and never written', async ({ request, servers, tmp, unique }) => {
    const admin = new TrustedOriginsAdmin(request, servers.api.url, servers.api.adminToken);
    const saved = [await admin.create(body(unique, 'a')), await admin.create({ ...body(unique, 'b'), scopes: [{ type: 'REDIRECT' }] })] as const;
    await admin.deactivate(saved[1].id);
    const seed = path.join(tmp, 'seed.json');
    const text = JSON.stringify(await admin.list({ q: `unit ${unique}` }));
    writeFileSync(seed, text);

    const seeded = await startServers({ trustedOriginsSeedFile: seed });
    try {
      const other = new TrustedOriginsAdmin(request, seeded.api.url, seeded.api.adminToken);
      const strip = (list: TrustedOriginJson[]) => list.map(({ _links: _, ...entry }) => entry);
      expect(strip(await other.list({ q: `unit ${unique}` }))).toEqual(strip(JSON.parse(text) as TrustedOriginJson[]));
      await other.create(body(unique, 'c'));
      expect(readFileSync(seed, 'utf8')).toBe(text);
    } finally {
      await seeded.close();
    }
  });

  test('a hand-written seed file needs only name, origin and scopes', async ({ request, tmp, unique }) => {
    const seed = path.join(tmp, 'seed.json');
    writeFileSync(seed, JSON.stringify([body(unique)]));
    const seeded = await startServers({ trustedOriginsSeedFile: seed });
    try {
      const admin = new TrustedOriginsAdmin(request, seeded.api.url, seeded.api.adminToken);
      expect(await admin.list({ q: `unit ${unique}` })).toEqual([
        expect.objectContaining({ ...body(unique), status: 'ACTIVE', createdBy: 'system', id: expect.stringMatching(/^tos/) }),
      ]);
    } finally {
      await seeded.close();
    }
  });

  const badFiles: [string, string, RegExp][] = [
    ['not JSON', '{', /is not valid JSON/],
    ['not a list', '{"trustedOrigins": []}', /must hold a JSON list/],
    ['a bad entry', JSON.stringify([{ name: 'x', origin: 'http://x.example', scopes: [{ type: 'CORS' }] }, { name: 'y', origin: 'y.example', scopes: [] }]),
      /bad entry: entry 2: origin: Origin value is not valid; entry 2: scopes: The field cannot be left blank/],
    ['two entries with one origin', JSON.stringify([{ name: 'x', origin: 'http://x.example', scopes: CORS }, { name: 'y', origin: 'http://x.example', scopes: CORS }]),
      /entry 2: origin: An object with this field already exists/],
    ['a bad status', JSON.stringify([{ name: 'x', origin: 'http://x.example', scopes: CORS, status: 'PAUSED' }]), /entry 1: status: The status is ACTIVE or INACTIVE/],
  ];
  for (const [what, text, message] of badFiles) {
    test(`a file with ${what} stops the start with one clear message and stays as it was`, async ({ tmp }) => {
      const file = path.join(tmp, 'trusted-origins.json');
      writeFileSync(file, text);
      for (const options of [{ trustedOriginsFile: file }, { trustedOriginsSeedFile: file }]) {
        await expect(startServers(options)).rejects.toThrow(message);
        expect(readFileSync(file, 'utf8')).toBe(text);
      }
    });
  }

  test('a missing seed file, or both files at once, stops the start', async ({ tmp }) => {
    await expect(startServers({ trustedOriginsSeedFile: path.join(tmp, 'none.json') })).rejects.toThrow(/cannot read trusted origins file/);
    await expect(startServers({ trustedOriginsFile: path.join(tmp, 'a.json'), trustedOriginsSeedFile: path.join(tmp, 'b.json') }))
      .rejects.toThrow(/either a trusted origins file .* or a seed file/);
    expect(existsSync(path.join(tmp, 'a.json'))).toBe(false);
  });
});

test.describe('npm run serve', () => {
  /** Starts serve.ts as `npm run serve` does and reads what it prints until it is ready. */
  async function serve(args: string[], env: Record<string, string>): Promise<{ output: string; stop: () => Promise<void> }> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'servers/serve.ts', ...args], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, API_PORT: '', SITE_PORT: '', UNTRUSTED_SITE_PORT: '', OKTA_API_TOKEN: '', TRUSTED_ORIGINS_FILE: '', TRUSTED_ORIGINS_SEED: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 20_000);
      const read = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('Press Ctrl-C to stop.')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
    });
    return {
      output,
      stop: async () => {
        child.kill('SIGTERM');
        await exited;
      },
    };
  }
  const printed = (output: string, label: string): string => {
    const value = new RegExp(`^${label}:\\s+(\\S+)`, 'm').exec(output)?.[1];
    if (value === undefined) throw new Error(`serve printed no "${label}":\n${output}`);
    return value;
  };

  test('prints a random admin token that works, and keeps the list in --trusted-origins-file', async ({ tmp, unique }) => {
    const file = path.join(tmp, 'kept.json');
    const run = await serve(['--trusted-origins-file', file], {});
    try {
      const api = printed(run.output, 'Mock Okta org \\(API\\)');
      const token = printed(run.output, 'Admin API token');
      expect(token).toMatch(/^00[A-Za-z0-9_-]{40}$/);
      expect(run.output).toContain(`kept in ${file}`);
      const response = await fetch(`${api}/api/v1/trustedOrigins`, {
        method: 'POST',
        headers: { Authorization: `SSWS ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body(unique)),
      });
      expect(response.status).toBe(200);
    } finally {
      await run.stop();
    }
    expect((JSON.parse(readFileSync(file, 'utf8')) as { name: string }[]).map((e) => e.name)).toContain(`unit ${unique} a`);
  });

  test('takes the token from OKTA_API_TOKEN and a seed from TRUSTED_ORIGINS_SEED', async ({ tmp, unique }) => {
    const seed = path.join(tmp, 'seed.json');
    writeFileSync(seed, JSON.stringify([body(unique)]));
    const run = await serve([], { OKTA_API_TOKEN: 'serve-env-token-0123', TRUSTED_ORIGINS_SEED: seed });
    try {
      expect(printed(run.output, 'Admin API token')).toBe('serve-env-token-0123');
      const api = printed(run.output, 'Mock Okta org \\(API\\)');
      const response = await fetch(`${api}/api/v1/trustedOrigins?q=${encodeURIComponent(`unit ${unique}`)}`, {
        headers: { Authorization: 'SSWS serve-env-token-0123' },
      });
      expect(((await response.json()) as { origin: string }[]).map((e) => e.origin)).toEqual([`http://a-${unique}.example`]);
    } finally {
      await run.stop();
    }
  });
});
