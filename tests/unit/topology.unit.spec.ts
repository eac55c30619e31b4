/**
 * The topologies without a browser: names, the local CA, the name proxy, the cookie-policy
 * choice, what the org's cookie looks like over HTTPS, and how the matrix shows the cookie.
 */
import { X509Certificate } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer as createNetServer, type Socket } from 'node:net';
import { expect, test } from '@playwright/test';
import getPort from 'get-port';
import { startServers } from '../../servers/start.js';
import { startNameProxy } from '../../servers/topology/name-proxy.js';
import { localTls } from '../../servers/topology/tls.js';
import selfsigned from 'selfsigned';
import { NAMES_ADDRESS, SUITE_HOST_NAMES, topologyNamed } from '../../servers/topology/topologies.js';
import { authenticate, sessionCookies } from '../framework/okta/api-under-test-client.js';
import { cookiePolicyChoice, COOKIE_POLICIES } from '../framework/engines/cookie-policy.js';
import { recordCorsCase, recordSite, readSite, type Annotation } from '../framework/reporting/annotations.js';
import { buildMatrix, cellText } from '../framework/reporting/cors-matrix.js';
import { renderMarkdown } from '../framework/reporting/cors-matrix-text.js';

test('an unknown topology or cookie-policy choice is one line naming the ones that exist', () => {
  expect(() => topologyNamed('cross-origin')).toThrow(/^unknown topology 'cross-origin': choose one of same-site, cross-site, custom-domain$/);
  expect(() => cookiePolicyChoice('strict')).toThrow(/^CORS_COOKIE_POLICY must be 'default' or 'variant', got 'strict'$/);
  expect(cookiePolicyChoice('')).toBe('default');
});

test('the local CA signs one server certificate naming every suite host', async () => {
  const tls = await localTls();
  const ca = new X509Certificate(tls.caCert);
  const [leafPem] = tls.server.cert.split(/(?<=-----END CERTIFICATE-----)\n/);
  const leaf = new X509Certificate(leafPem ?? '');
  expect(ca.ca).toBe(true);
  expect(leaf.ca).toBe(false);
  expect(leaf.checkIssued(ca)).toBe(true);
  expect(leaf.verify(ca.publicKey)).toBe(true);
  for (const name of SUITE_HOST_NAMES) expect(leaf.subjectAltName).toContain(`DNS:${name}`);
  expect(tls.server.key).not.toContain('ENCRYPTED');
});

test("cross-site: the org's sign-in sets sid Secure; SameSite=None; HttpOnly over HTTPS, under its name", async () => {
  const servers = await startServers({ topology: 'cross-site' });
  try {
    expect(servers.api.url).toMatch(/^https:\/\/acme\.okta\.test:\d+$/);
    expect(servers.trustedSiteUrl).toMatch(/^https:\/\/app\.example\.test:\d+$/);
    expect(servers.untrustedSiteUrl).toMatch(/^https:\/\/evil\.example\.net:\d+$/);
    const { caCert } = await localTls();
    const port = Number(new URL(servers.api.url).port);
    const body = new URLSearchParams({ username: servers.api.account.user.profile.login, password: servers.api.account.password }).toString();
    // The name is given to TLS (SNI, certificate check) while the socket goes to 127.0.0.1.
    const setCookie = await new Promise<string[]>((resolve, reject) => {
      const req = httpsRequest(
        { host: '127.0.0.1', port, servername: 'acme.okta.test', ca: caCert, method: 'POST', path: '/login', headers: { host: `acme.okta.test:${port}`, 'content-type': 'application/x-www-form-urlencoded' } },
        (res) => {
          res.resume();
          resolve(res.headers['set-cookie'] ?? []);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toMatch(/^sid=[\w-]+; Path=\/; HttpOnly; Secure; SameSite=None$/);
  } finally {
    await servers.close();
  }
});

test("from Node along the suite's names and CA: the cross-site org's session cookie as it set it; another CA is one line", async () => {
  const servers = await startServers({ topology: 'cross-site' });
  try {
    const { caCert } = await localTls();
    const org = {
      url: servers.api.url,
      label: `org ${servers.api.url}`,
      login: servers.api.account.user.profile.login,
      password: servers.api.account.password,
      route: { names: SUITE_HOST_NAMES, address: NAMES_ADDRESS, ca: caCert },
    };
    const { sessionToken } = await authenticate(org);
    expect(await sessionCookies(org, sessionToken, `${servers.trustedSiteUrl}/sdk.html`)).toEqual([
      { url: `${servers.api.url}/login/sessionCookieRedirect`, name: 'sid', value: expect.stringMatching(/.{16,}/), path: '/', httpOnly: true, secure: true, sameSite: 'None' },
    ]);
    const otherCa = await selfsigned.generate([{ name: 'commonName', value: 'not the suite CA' }], { keyType: 'ec', algorithm: 'sha256' });
    await expect(authenticate({ ...org, route: { ...org.route, ca: otherCa.cert } })).rejects.toThrow(
      /^org https:\/\/acme\.okta\.test:\d+: its TLS certificate was refused \(SELF_SIGNED_CERT_IN_CHAIN\); is it the suite's own CA\?$/,
    );
  } finally {
    await servers.close();
  }
});

test('the name proxy tunnels CONNECT to a suite name only, to the same port on 127.0.0.1', async () => {
  const servers = await startServers({ topology: 'custom-domain' });
  const proxy = await startNameProxy();
  const connect = (authority: string) =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${proxy.url}`, { method: 'CONNECT', path: authority });
      req.on('connect', (res, socket) => {
        socket.destroy();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
  try {
    const { host } = new URL(servers.api.url);
    expect(await connect(host)).toBe(200);
    expect(await connect(`example.com:${new URL(servers.api.url).port}`)).toBe(403);
    expect(await connect('login.example.test')).toBe(403);
  } finally {
    await proxy.close();
    await servers.close();
  }
});

test('the name proxy closes an open tunnel whose server resets it, and writes nothing into it', async () => {
  // A server that resets its connection as soon as it gets data: what a keep-alive connection
  // the server just closed looks like to a request sent on it.
  const resetting = createNetServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
  const port = await getPort({ host: NAMES_ADDRESS });
  await new Promise<void>((resolve) => resetting.listen(port, NAMES_ADDRESS, resolve));
  const proxy = await startNameProxy();
  try {
    const tunnel = await new Promise<Socket>((resolve, reject) => {
      const req = httpRequest(proxy.url, { method: 'CONNECT', path: `${SUITE_HOST_NAMES[0]}:${port}` });
      req.on('connect', (res, socket) => (res.statusCode === 200 ? resolve(socket) : reject(new Error(`CONNECT answered ${res.statusCode}`))));
      req.on('error', reject);
      req.end();
    });
    let received = '';
    tunnel.on('data', (chunk: Buffer) => (received += chunk.toString()));
    tunnel.on('error', () => undefined);
    const closed = new Promise((resolve) => tunnel.once('close', resolve));
    tunnel.write('a TLS record would go here');
    await closed;
    // Inside a tunnel the client speaks TLS: a plaintext "502" there reads as a corrupt record.
    expect(received).toBe('');
  } finally {
    await proxy.close();
    await new Promise((resolve) => resetting.close(resolve));
  }
});

test('the matrix shows the cookie policy per engine and whether the cookie went', () => {
  const sink = { annotations: [] as Annotation[] };
  recordSite(sink, { topology: 'cross-site', cookiePolicy: COOKIE_POLICIES.firefox.default });
  recordCorsCase(sink, { area: 'seed', case: 'allowed (xhr)', outcome: 'readable', reason: 'third-party-cookie-withheld', cookie: 'withheld' });
  expect(readSite(sink.annotations)).toEqual({ topology: 'cross-site', cookiePolicy: COOKIE_POLICIES.firefox.default });
  const matrix = buildMatrix([
    {
      project: 'firefox',
      scenario: ['seed.spec.ts', 'cross-site topology', 'allowed'],
      outcome: 'expected',
      cases: [{ area: 'seed', case: 'allowed (xhr)', outcome: 'readable', reason: 'third-party-cookie-withheld', cookie: 'withheld' }],
      site: { topology: 'cross-site', cookiePolicy: COOKIE_POLICIES.firefox.default },
    },
  ]);
  expect(cellText(matrix.rows[0]?.cells.get('firefox'))).toBe('readable (third-party-cookie-withheld) · cookie withheld');
  expect(renderMarkdown(matrix)).toContain('🍪 standard-etp');
});
