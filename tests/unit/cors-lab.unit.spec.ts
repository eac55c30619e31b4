/**
 * The CORS lab over HTTP, no browser: it answers exactly as the URL says (raw header lines
 * included), rejects malformed behaviours with a one-line 400, stays apart from the org's
 * /api/v1 CORS, and its exchanges can be picked out of the API's log per case.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { test as base, expect } from '@playwright/test';
import { encodeBehaviour, labPath, type LabBehaviour } from '../../servers/okta-api/cors-lab/behaviour.js';
import { labExchanges } from '../../servers/okta-api/cors-lab/router.js';
import { startServers, type RunningServers } from '../../servers/start.js';

const test = base.extend<{ servers: RunningServers }>({
  servers: async ({}, use) => {
    const servers = await startServers({ corsLab: true });
    await use(servers);
    await servers.close();
  },
});

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  /** Header lines as sent, names lower-cased: repeated headers stay separate. */
  lines: [string, string][];
  body: string;
}

/** node:http rather than fetch: fetch would merge repeated header lines into one. */
function send(url: string, method: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const lines: [string, string][] = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
          lines.push([(res.rawHeaders[i] ?? '').toLowerCase(), res.rawHeaders[i + 1] ?? '']);
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, lines, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const ORIGIN = 'http://127.0.0.1:1';

test('answers the request and the preflight as the behaviour says', async ({ servers }) => {
  const behaviour: LabBehaviour = {
    case: 'unit: answers',
    cors: { allowOrigin: [ORIGIN, ORIGIN], allowCredentials: 'TRUE', exposeHeaders: 'X-Okta-Request-Id' },
    preflight: { status: 403, cors: { allowMethods: 'PUT', maxAge: '60' } },
    actual: { status: 418, setCookie: 'lab_probe=1; Path=/cors-lab' },
  };
  const url = `${servers.api.url}${labPath(behaviour)}`;

  const actual = await send(url, 'GET', { Origin: ORIGIN });
  expect(actual.status).toBe(418);
  expect(actual.lines.filter(([name]) => name === 'access-control-allow-origin')).toEqual([
    ['access-control-allow-origin', ORIGIN],
    ['access-control-allow-origin', ORIGIN],
  ]);
  expect(actual.headers['access-control-allow-credentials']).toBe('TRUE');
  expect(actual.headers['access-control-allow-methods']).toBeUndefined();
  expect(actual.headers['set-cookie']).toEqual(['lab_probe=1; Path=/cors-lab']);
  expect(actual.headers['vary']).toMatch(/\bOrigin\b/);
  expect(JSON.parse(actual.body)).toEqual({ lab: 'unit: answers', hop: 0, method: 'GET', status: 418 });

  const preflight = await send(url, 'OPTIONS', { Origin: ORIGIN, 'Access-Control-Request-Method': 'PUT' });
  expect(preflight.status).toBe(403);
  expect(preflight.headers['access-control-allow-methods']).toBe('PUT');
  expect(preflight.headers['access-control-max-age']).toBe('60');
  expect(preflight.headers['access-control-allow-credentials']).toBe('TRUE');
  expect(preflight.headers['set-cookie']).toBeUndefined();
  expect(preflight.body).toBe('');

  const log = labExchanges(servers.api.exchangeLog, 'unit: answers');
  expect(log.map((e) => [e.method, e.preflight, e.status])).toEqual([
    ['GET', false, 418],
    ['OPTIONS', true, 403],
  ]);
  expect(labExchanges(servers.api.exchangeLog, 'another case')).toEqual([]);
});

test('an empty allow-origin list sends no header; a redirect sends Location to the next hop on a named site', async ({ servers }) => {
  const behaviour: LabBehaviour = {
    case: 'unit: redirect',
    cors: { allowOrigin: [] },
    preflight: { status: 307, redirect: { to: 'api' } },
    actual: { status: 303, redirect: { to: 'other', userInfo: true } },
    hops: [{ cors: { allowOrigin: ['null'] } }],
  };
  const url = `${servers.api.url}${labPath(behaviour)}`;
  const preflight = await send(url, 'OPTIONS', { Origin: ORIGIN, 'Access-Control-Request-Method': 'PUT' });
  expect(preflight.status).toBe(307);
  expect(preflight.headers.location).toBe(`${servers.api.url}${labPath(behaviour, 'hop-1')}`);
  expect(preflight.headers['access-control-allow-origin']).toBeUndefined();

  const actual = await send(url, 'GET', { Origin: ORIGIN });
  expect(actual.status).toBe(303);
  const next = new URL(actual.headers.location ?? '');
  expect([next.origin, next.username, next.password]).toEqual([servers.untrustedSiteUrl, 'lab-user', 'lab-password']);
  next.username = next.password = '';
  const hop = await send(next.href, 'GET', { Origin: 'null' });
  expect(hop.headers['access-control-allow-origin']).toBe('null');
  expect(JSON.parse(hop.body)).toEqual({ lab: 'unit: redirect', hop: 1, method: 'GET', status: 200 });
  expect(labExchanges(servers.api.exchangeLog, 'unit: redirect').map((e) => [e.method, e.lab?.hop, e.status])).toEqual([
    ['OPTIONS', 0, 307],
    ['GET', 0, 303],
    ['GET', 1, 200],
  ]);
  const noHop = await send(`${servers.api.url}${labPath(behaviour, 'hop-2')}`, 'GET', { Origin: ORIGIN });
  expect([noHop.status, noHop.body]).toEqual([400, 'cors-lab: malformed behaviour: the behaviour has no hop 2\n']);
});

test('revalidation: validators on the answer, a 304 to If-None-Match or If-Modified-Since with only its own CORS headers', async ({ servers }) => {
  const behaviour: LabBehaviour = {
    case: 'unit: revalidate',
    cors: { allowOrigin: [ORIGIN], allowCredentials: 'true' },
    actual: { revalidate: { etag: 'v1', notModifiedCors: { exposeHeaders: 'X-Okta-Request-Id' } } },
  };
  const url = `${servers.api.url}${labPath(behaviour)}`;
  const full = await send(url, 'GET', { Origin: ORIGIN });
  expect([full.status, full.headers.etag, full.headers['access-control-allow-origin']]).toEqual([200, '"v1"', ORIGIN]);
  const lastModified = full.headers['last-modified'] ?? '';
  expect(Date.parse(lastModified)).not.toBeNaN();

  const conditionals: Record<string, string>[] = [{ 'If-None-Match': '"v1"' }, { 'If-Modified-Since': lastModified }];
  for (const conditional of conditionals) {
    const res = await send(url, 'GET', { Origin: ORIGIN, ...conditional });
    expect(res.status, JSON.stringify(conditional)).toBe(304);
    expect(res.body).toBe('');
    expect(res.headers['access-control-expose-headers']).toBe('X-Okta-Request-Id');
    expect(res.headers['access-control-allow-origin'], 'the 304 carries only its own CORS headers').toBeUndefined();
  }
  // Another tag, or a date before Last-Modified: the full answer.
  expect((await send(url, 'GET', { Origin: ORIGIN, 'If-None-Match': '"v0"' })).status).toBe(200);
  expect((await send(url, 'GET', { Origin: ORIGIN, 'If-Modified-Since': 'Sat, 01 Jan 2000 00:00:00 GMT' })).status).toBe(200);
  const log = labExchanges(servers.api.exchangeLog, 'unit: revalidate');
  expect(log.map((e) => [e.status, e.requestHeaders['if-none-match'] ?? null])).toEqual([[200, null], [304, '"v1"'], [304, null], [200, '"v0"'], [200, null]]);
});

const malformed: [string, string, RegExp][] = [
  ['no behaviour', '/cors-lab/', /use \/cors-lab\/<base64url\(JSON behaviour\)>\/<resource>/],
  ['no resource', `/cors-lab/${encodeBehaviour({ case: 'x' })}`, /use \/cors-lab/],
  ['not base64url', '/cors-lab/not*base64/resource', /not base64url/],
  ['not JSON', `/cors-lab/${Buffer.from('{nope').toString('base64url')}/resource`, /not valid JSON/],
  ['not an object', `/cors-lab/${Buffer.from('[1]').toString('base64url')}/resource`, /must be a JSON object/],
  ['no case', `/cors-lab/${Buffer.from('{}').toString('base64url')}/resource`, /behaviour\.case must be a non-empty string/],
  ['unknown key', `/cors-lab/${Buffer.from('{"case":"x","cros":{}}').toString('base64url')}/resource`, /unknown key 'cros'/],
  ['allowOrigin not a list', `/cors-lab/${Buffer.from('{"case":"x","cors":{"allowOrigin":"*"}}').toString('base64url')}/resource`, /allowOrigin must be an array/],
  ['bad status', `/cors-lab/${Buffer.from('{"case":"x","actual":{"status":99}}').toString('base64url')}/resource`, /status must be an integer from 200 to 599/],
  ['redirect off the suite', `/cors-lab/${Buffer.from('{"case":"x","actual":{"status":302,"redirect":{"to":"https://evil.example/"}}}').toString('base64url')}/resource`, /redirect\.to must be one of api, page, other/],
  ['a Location of its own', `/cors-lab/${Buffer.from('{"case":"x","actual":{"status":302,"location":"/login"}}').toString('base64url')}/resource`, /unknown key 'location'/],
  ['the org\'s session cookie', `/cors-lab/${Buffer.from('{"case":"x","actual":{"setCookie":"sid=fixed; Path=/"}}').toString('base64url')}/resource`, /setCookie must set a cookie named lab_…, got 'sid=fixed'/],
  ['an etag with a quote', `/cors-lab/${Buffer.from('{"case":"x","actual":{"revalidate":{"etag":"a\\"b"}}}').toString('base64url')}/resource`, /revalidate\.etag must be visible ASCII/],
  ['control character', `/cors-lab/${Buffer.from('{"case":"x","cors":{"allowOrigin":["a\\nb"]}}').toString('base64url')}/resource`, /control character/],
];
for (const [what, path, message] of malformed) {
  test(`malformed behaviour (${what}): 400 with one line`, async ({ servers }) => {
    const res = await send(`${servers.api.url}${path}`, 'GET', { Origin: ORIGIN });
    expect(res.status).toBe(400);
    expect(res.body).toMatch(message);
    expect(res.body.trimEnd().split('\n')).toHaveLength(1);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
}

test('the org API keeps its own CORS: a lab behaviour in the query changes nothing', async ({ servers }) => {
  const lab = encodeBehaviour({ case: 'unit: leak', cors: { allowOrigin: ['*'] } });
  const res = await send(`${servers.api.url}/api/v1/users/me?lab=${lab}`, 'GET', { Origin: servers.untrustedSiteUrl });
  expect(res.headers['access-control-allow-origin']).toBeUndefined();
});

test('the lab is off unless asked for: a plain mock has no /cors-lab', async () => {
  const plain = await startServers();
  try {
    const res = await send(`${plain.api.url}${labPath({ case: 'unit: off', cors: { allowOrigin: ['*'] } })}`, 'GET', { Origin: ORIGIN });
    expect(res.status).toBe(404);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  } finally {
    await plain.close();
  }
});
