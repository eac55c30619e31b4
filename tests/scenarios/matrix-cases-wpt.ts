/**
 * The matrix's second table: the Web Platform Tests' CORS behaviours (fetch/api/cors/, cors/,
 * xhr/access-control-*) the first table did not cover: redirects, preflight statuses and
 * lists, the preflight cache, Allow-Origin and Expose-Headers parsing, cookies, request modes
 * and contexts. Same shape as matrix-cases.ts (see its header); COVERAGE.md maps each case to
 * its Web Platform Test.
 */
import type { LabHop } from '../../servers/okta-api/cors-lab/behaviour.js';
import type { KnownReason } from '../framework/cors/reason-catalog.js';
import type { EngineException, HopServer, MatrixCase, MatrixOrigins, MatrixStep, StepExpectation, StepRequest } from './matrix-cases.js';

const credentialed = (o: MatrixOrigins) => ({ allowOrigin: [o.page], allowCredentials: 'true' });
const ANY = { allowOrigin: ['*'] };
const one = (request: StepRequest, expect: StepExpectation): MatrixStep[] => [{ request, expect }];
const GET_OMIT: StepRequest = { method: 'GET', credentials: 'omit' };
const GET_INCLUDE: StepRequest = { method: 'GET', credentials: 'include' };
const readable = (server: StepExpectation['server'], extra: Partial<StepExpectation> = {}): StepExpectation => ({ outcome: 'readable', server, ...extra });
const blocked = (reason: KnownReason | 'no-message', server: StepExpectation['server']): StepExpectation => ({ outcome: 'blocked', reason, server });
const hop = (actual: HopServer['actual'], more: Partial<HopServer> = {}): HopServer => ({ preflight: false, actual, ...more });
const preflightedHop = (actual: HopServer['actual'], requestHeaders?: string[], more: Partial<HopServer> = {}): HopServer => ({
  preflight: requestHeaders === undefined ? {} : { requestHeaders }, actual, ...more,
});
const WEBKIT_ORIGIN_WORDING =
  'WebKit words a single ACAO value that does not match (another origin, `null`, a malformed value) exactly like a missing header ("Origin X is not allowed by Access-Control-Allow-Origin."), so its message cannot tell them apart';
const firefoxSaysMismatch = {
  engine: 'firefox' as const,
  why: 'Firefox has no wording for an invalid Allow-Origin value: it compares the value with the origin and reports a mismatch ("does not match")',
  expect: { reason: 'allow-origin-mismatch' as const },
};
const webkitSaysMissing = { engine: 'webkit' as const, why: WEBKIT_ORIGIN_WORDING, expect: { reason: 'missing-allow-origin' as const } };

const REDIRECT_STATUSES = [301, 302, 303, 307, 308] as const;
/** A scheme no engine knows: the request can only be refused, and no server sees it. */
const MADE_UP_SCHEME = 'x-probe';

// ── redirects of the actual request ───────────────────────────────────────────────────────────
const redirects: MatrixCase[] = [
  ...REDIRECT_STATUSES.map((status): MatrixCase => ({
    area: 'redirects', name: `${status} to another origin: Origin null on the second hop`, client: 'fetch',
    behaviour: () => ({ cors: ANY, actual: { status, redirect: { to: 'other' } }, hops: [{ cors: ANY }] }),
    steps: one(GET_OMIT, readable({ ...hop('without-cookie'), redirects: [hop('without-cookie', { origin: 'null' })] })),
  })),
  {
    area: 'redirects', name: 'to another origin that allows only the page origin (Origin is null there)', client: 'fetch',
    behaviour: (o) => ({ cors: ANY, actual: { status: 302, redirect: { to: 'other' } }, hops: [{ cors: { allowOrigin: [o.page] } }] }),
    steps: one(GET_OMIT, blocked('allow-origin-mismatch', { ...hop('without-cookie'), redirects: [hop('without-cookie', { origin: 'null' })] })),
    exceptions: [webkitSaysMissing],
  },
  {
    area: 'redirects', name: 'to another origin with credentials: null and Allow-Credentials there', client: 'xhr',
    behaviour: (o) => ({ cors: credentialed(o), actual: { status: 302, redirect: { to: 'other' } }, hops: [{ cors: { allowOrigin: ['null'], allowCredentials: 'true' } }] }),
    // Cookies do not keep ports apart: the other site on 127.0.0.1 gets the session cookie too.
    steps: one(GET_INCLUDE, readable({ ...hop('with-cookie'), redirects: [hop('with-cookie', { origin: 'null' })] })),
  },
  {
    area: 'redirects', name: 'back to the page origin: still CORS, Origin null', client: 'fetch',
    behaviour: () => ({ cors: ANY, actual: { status: 302, redirect: { to: 'page' } }, hops: [{}] }),
    steps: one(GET_OMIT, blocked('missing-allow-origin', { ...hop('without-cookie'), redirects: [hop('without-cookie', { origin: 'null' })] })),
  },
  {
    area: 'redirects', name: 'back to the page origin answering *: readable', client: 'fetch',
    behaviour: () => ({ cors: ANY, actual: { status: 307, redirect: { to: 'page' } }, hops: [{ cors: ANY }] }),
    steps: one(GET_OMIT, readable({ ...hop('without-cookie'), redirects: [hop('without-cookie', { origin: 'null' })] })),
  },
  {
    area: 'redirects', name: 'same-origin request redirected to the API: Origin is the page', client: 'fetch',
    behaviour: (o) => ({ actual: { status: 302, redirect: { to: 'api' } }, hops: [{ cors: credentialed(o) }] }),
    steps: one({ ...GET_INCLUDE, target: 'page' }, readable({ ...hop('with-cookie', { origin: 'absent' }), redirects: [hop('with-cookie')] })),
  },
  {
    area: 'redirects', name: 'same-origin request redirected to the API without CORS headers', client: 'xhr',
    behaviour: () => ({ actual: { status: 302, redirect: { to: 'api' } }, hops: [{}] }),
    steps: one({ ...GET_INCLUDE, target: 'page' }, blocked('missing-allow-origin', { ...hop('with-cookie', { origin: 'absent' }), redirects: [hop('with-cookie')] })),
  },
  {
    area: 'redirects', name: 'the redirect itself needs CORS headers', client: 'fetch',
    behaviour: (o) => ({ actual: { status: 302, redirect: { to: 'api' } }, hops: [{ cors: credentialed(o) }] }),
    steps: one(GET_INCLUDE, blocked('missing-allow-origin', { ...hop('with-cookie'), redirects: [hop('not-sent')] })),
  },
  ...([301, 302, 303] as const).map((status): MatrixCase => ({
    area: 'redirects', name: `${status} turns a POST into a GET without body`, client: 'fetch',
    behaviour: () => ({ cors: ANY, actual: { status, redirect: { to: 'api' } }, hops: [{ cors: ANY }] }),
    steps: one(
      { method: 'POST', credentials: 'omit', headers: { 'Content-Type': 'text/plain' }, body: 'probe' },
      readable({ ...hop('without-cookie', { body: 'sent' }), redirects: [hop('without-cookie', { method: 'GET', body: 'dropped' })] }),
    ),
  })),
  ...([307, 308] as const).map((status): MatrixCase => ({
    area: 'redirects', name: `${status} keeps the POST and its body`, client: 'fetch',
    behaviour: () => ({ cors: ANY, actual: { status, redirect: { to: 'api' } }, hops: [{ cors: ANY }] }),
    steps: one(
      { method: 'POST', credentials: 'omit', headers: { 'Content-Type': 'text/plain' }, body: 'probe' },
      readable({ ...hop('without-cookie', { body: 'sent' }), redirects: [hop('without-cookie', { body: 'sent' })] }),
    ),
  })),
  {
    area: 'redirects', name: 'a redirect after a successful preflight is preflighted again', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowMethods: 'PUT' }, actual: { status: 307, redirect: { to: 'api' } }, hops: [{ cors: { ...credentialed(o), allowMethods: 'PUT' } }] }),
    steps: one({ method: 'PUT', credentials: 'include' }, readable({ ...preflightedHop('with-cookie'), redirects: [preflightedHop('with-cookie')] })),
  },
  {
    area: 'redirects', name: 'a preflight needed only after the redirect', client: 'xhr',
    behaviour: (o) => ({ actual: { status: 307, redirect: { to: 'api' } }, hops: [{ cors: { ...credentialed(o), allowHeaders: 'X-Custom-Header' } }] }),
    steps: one(
      { ...GET_INCLUDE, target: 'page', headers: { 'X-Custom-Header': 'probe' } },
      readable({ ...hop('with-cookie', { origin: 'absent' }), redirects: [preflightedHop('with-cookie', ['x-custom-header'])] }),
    ),
  },
  {
    area: 'redirects', name: 'to a URL with user name and password', client: 'fetch',
    behaviour: () => ({ cors: ANY, actual: { status: 302, redirect: { to: 'api', userInfo: true } }, hops: [{ cors: ANY }] }),
    steps: one(GET_OMIT, blocked('redirect-url-not-allowed', { ...hop('without-cookie'), redirects: [hop('not-sent')] })),
    exceptions: [{
      engine: 'firefox',
      why: 'Firefox refuses the redirect (NS_ERROR_DOM_BAD_URI, nothing sent to hop 1) but names no reason: it reports "CORS request did not succeed", its generic follow-up',
      expect: { reason: 'request-did-not-succeed' },
    }],
  },
  {
    area: 'redirects', name: 'exposed headers come from the last response', client: 'fetch',
    behaviour: (o) => ({ cors: credentialed(o), actual: { status: 302, redirect: { to: 'api' } }, hops: [{ cors: { ...credentialed(o), exposeHeaders: 'X-Okta-Request-Id' } }] }),
    steps: one({ ...GET_INCLUDE, readHeaders: ['X-Okta-Request-Id'] }, readable({ ...hop('with-cookie'), redirects: [hop('with-cookie')] }, { headers: { 'X-Okta-Request-Id': 'requestId' } })),
  },
  {
    area: 'redirects', name: 'headers exposed only by the redirect are not readable', client: 'xhr',
    behaviour: (o) => ({ cors: { ...credentialed(o), exposeHeaders: 'X-Okta-Request-Id' }, actual: { status: 302, redirect: { to: 'api' } }, hops: [{ cors: credentialed(o) }] }),
    steps: one({ ...GET_INCLUDE, readHeaders: ['X-Okta-Request-Id'] }, readable({ ...hop('with-cookie'), redirects: [hop('with-cookie')] }, { headers: { 'X-Okta-Request-Id': null } })),
  },
];

// ── preflight: statuses, failures on the preflight itself, the lists ──────────────────────────
const putPreflight = (o: MatrixOrigins, preflight: LabHop['preflight']): Omit<LabHop, never> => ({ cors: { ...credentialed(o), allowMethods: 'PUT' }, preflight });
const PUT_INCLUDE: StepRequest = { method: 'PUT', credentials: 'include' };
const preflightFails = (reason: KnownReason): StepExpectation => blocked(reason, preflightedHop('not-sent'));
const PREFLIGHT_WORDING = (engine: 'firefox' | 'webkit') => ({
  engine,
  why: `${engine === 'firefox' ? 'Firefox' : 'WebKit'} words an Allow-Origin / Allow-Credentials failure on the preflight exactly as on the response itself (only Chromium prefixes "Response to preflight request doesn't pass access control check")`,
});

const preflight: MatrixCase[] = [
  ...([200, 201, 202, 203, 205, 206] as const).map((status): MatrixCase => ({
    area: 'preflight', name: `preflight status ${status} is ok`, client: 'fetch',
    behaviour: (o) => putPreflight(o, { status }),
    steps: one(PUT_INCLUDE, readable(preflightedHop('with-cookie'))),
  })),
  ...([400, 404, 503] as const).map((status): MatrixCase => ({
    area: 'preflight', name: `preflight status ${status}`, client: 'xhr',
    behaviour: (o) => putPreflight(o, { status }),
    steps: one(PUT_INCLUDE, preflightFails('preflight-status-not-ok')),
  })),
  ...([
    ['preflight without allow-origin', () => ({ allowOrigin: [] }), 'preflight-missing-allow-origin', 'missing-allow-origin', 'missing-allow-origin'],
    ['preflight allow-origin of another origin', (o: MatrixOrigins) => ({ allowOrigin: [o.otherPort] }), 'preflight-allow-origin-mismatch', 'allow-origin-mismatch', 'missing-allow-origin'],
    ['preflight with two allow-origin headers', (o: MatrixOrigins) => ({ allowOrigin: [o.page, o.page] }), 'preflight-multiple-allow-origin', 'multiple-allow-origin', 'multiple-allow-origin'],
    ['preflight allow-origin empty', () => ({ allowOrigin: [''] }), 'preflight-invalid-allow-origin', 'allow-origin-mismatch', 'missing-allow-origin'],
    ['preflight wildcard with credentials', () => ({ allowOrigin: ['*'] }), 'preflight-wildcard-with-credentials', 'wildcard-with-credentials', 'wildcard-with-credentials'],
    ['preflight without allow-credentials', () => ({ allowCredentials: '' }), 'preflight-allow-credentials-not-true', 'allow-credentials-not-true', 'allow-credentials-not-true'],
  ] as const).map(([name, cors, chromium, firefox, webkit]): MatrixCase => ({
    area: 'preflight', name, client: 'fetch',
    behaviour: (o) => putPreflight(o, { cors: cors(o) }),
    steps: one(PUT_INCLUDE, preflightFails(chromium)),
    exceptions: [
      { ...PREFLIGHT_WORDING('firefox'), expect: { reason: firefox } },
      { ...PREFLIGHT_WORDING('webkit'), expect: { reason: webkit } },
    ],
  })),
  {
    area: 'preflight', name: 'Access-Control-Request-Headers: lower case, sorted, no safelisted names', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowHeaders: 'X-Zeta, X-Alpha' } }),
    steps: one(
      { ...GET_INCLUDE, headers: { 'X-Zeta': '1', Accept: 'application/json', 'X-Alpha': '1', 'Content-Language': 'en' } },
      readable(preflightedHop('with-cookie', ['x-alpha', 'x-zeta'])),
    ),
  },
  {
    area: 'preflight', name: 'safelisted Accept with an unsafe byte is preflighted', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowHeaders: 'Accept' } }),
    steps: one({ ...GET_INCLUDE, headers: { Accept: 'text/"probe"' } }, readable(preflightedHop('with-cookie', ['accept']))),
  },
  {
    area: 'preflight', name: 'safelisted Content-Language over 128 bytes is preflighted', client: 'xhr',
    behaviour: (o) => ({ cors: credentialed(o) }),
    steps: one({ ...GET_INCLUDE, headers: { 'Content-Language': 'e'.repeat(129) } }, blocked('header-not-allowed', preflightedHop('not-sent', ['content-language']))),
  },
  ...(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=probe'] as const).map((type): MatrixCase => ({
    area: 'preflight', name: `simple POST (${type.split(';')[0] ?? type}) sends no preflight`, client: 'xhr',
    behaviour: (o) => ({ cors: credentialed(o) }),
    steps: one({ method: 'POST', credentials: 'include', headers: { 'Content-Type': type }, body: 'probe' }, readable(hop('with-cookie', { body: 'sent' }))),
  })),
  {
    area: 'preflight', name: 'an XHR upload listener forces a preflight', client: 'xhr',
    behaviour: (o) => ({ cors: credentialed(o) }),
    steps: one({ method: 'POST', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: 'probe', uploadListener: true }, readable(preflightedHop('with-cookie'))),
  },
  {
    area: 'preflight', name: 'method put is normalised to PUT', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowMethods: 'PUT' } }),
    steps: one({ method: 'put', credentials: 'include' }, readable(preflightedHop('with-cookie', undefined, { method: 'PUT' }))),
  },
  {
    area: 'preflight', name: 'method patch stays lower case and PATCH does not allow it', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowMethods: 'PATCH' } }),
    steps: one({ method: 'patch', credentials: 'include' }, preflightFails('method-not-allowed')),
  },
  {
    area: 'preflight', name: 'wildcard next to an explicit method, with credentials', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowMethods: '*, PUT' } }),
    steps: one(PUT_INCLUDE, readable(preflightedHop('with-cookie'))),
  },
  {
    area: 'preflight', name: 'wildcard next to an explicit header, with credentials', client: 'xhr',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowHeaders: '*, X-Custom-Header' } }),
    steps: one({ ...GET_INCLUDE, headers: { 'X-Custom-Header': 'probe' } }, readable(preflightedHop('with-cookie', ['x-custom-header']))),
  },
  {
    area: 'preflight', name: 'empty items and stray commas in allow-methods', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowMethods: ',, PUT ,' } }),
    steps: one(PUT_INCLUDE, readable(preflightedHop('with-cookie'))),
  },
  {
    area: 'preflight', name: 'empty items and stray commas in allow-headers', client: 'xhr',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowHeaders: ', X-Custom-Header,,' } }),
    steps: one({ ...GET_INCLUDE, headers: { 'X-Custom-Header': 'probe' } }, readable(preflightedHop('with-cookie', ['x-custom-header']))),
  },
];

// ── the preflight cache ───────────────────────────────────────────────────────────────────────
const twice = (first: StepExpectation, second: StepExpectation, request: StepRequest = PUT_INCLUDE, afterMs?: number): MatrixStep[] => [
  { request, expect: first },
  { ...(afterMs === undefined ? {} : { afterMs }), request, expect: second },
];
/**
 * Firefox ESR 153's preflight cache, measured here: on a page fresh from a new context it always
 * misses on the second request (with or without a pause, Max-Age 600 too); on a page reused after
 * a wipe it serves the second from the cache after some earlier tests and not after others; and
 * it misses at random on a later request (under load: 4 of 100 runs on the third request,
 * 0.1-0.3 s after the last preflight, and 1 of 40 with Max-Age 600). So each of `mayMiss` may be
 * preflighted, but at least one of them must come from the cache.
 */
export function firefoxCacheMisses(mayMiss: number[]): EngineException[] {
  const why =
    'Firefox ESR 153 preflights the first URL a page from a new context uses again on its second request (every time here), on a reused page only sometimes, and now and then a later request too (under load: 4 of 100 runs on the third request, 1 of 40 with Max-Age 600, 0.1-0.3 s after the last preflight, so not an expiry); these steps may be preflighted, but at least one must be served from the cache';
  return mayMiss.map((step): EngineException => ({ engine: 'firefox', step, why, expect: { server: { preflight: 'cache-may-miss' } } }));
}

const FIREFOX_INVALID_MAX_AGE =
  'Firefox ESR 153 caches nothing for an unparsable Max-Age (every step preflighted, the third too), as if it were 0; the Fetch standard uses the default (5 s) when the value cannot be parsed, as Chromium and WebKit do';
/** The Fetch standard's preflight-cache lifetime when Max-Age is absent or unparsable. */
const DEFAULT_MAX_AGE_MS = 5_000;
const caching: MatrixCase[] = [
  {
    area: 'caching', name: 'the cached preflight expires after max-age', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowMethods: 'PUT', maxAge: '1' } }),
    // The cache's expiry is time itself: the second step waits past Max-Age 1.
    steps: twice(readable(preflightedHop('with-cookie')), readable(preflightedHop('with-cookie')), PUT_INCLUDE, 2_100),
  },
  {
    area: 'caching', name: 'max-age -1 caches nothing', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowMethods: 'PUT', maxAge: '-1' } }),
    steps: twice(readable(preflightedHop('with-cookie')), readable(preflightedHop('with-cookie'))),
  },
  ...([['absent', undefined], ['not a number', 'soon']] as const).map(([what, maxAge]): MatrixCase => ({
    area: 'caching', name: `max-age ${what}: the default (5 s) caches the next request`, client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowMethods: 'PUT', ...(maxAge === undefined ? {} : { maxAge }) } }),
    // The hits count on the 5 s default: a step later than that (a slow machine) expects a preflight.
    steps: [
      { request: PUT_INCLUDE, expect: readable(preflightedHop('with-cookie')) },
      { request: PUT_INCLUDE, expect: readable(hop('with-cookie')), cacheWindowMs: DEFAULT_MAX_AGE_MS },
      // The third and fourth steps tell a cache that never works from one that misses (Firefox).
      { request: PUT_INCLUDE, expect: readable(hop('with-cookie')), cacheWindowMs: DEFAULT_MAX_AGE_MS },
      { request: PUT_INCLUDE, expect: readable(hop('with-cookie')), cacheWindowMs: DEFAULT_MAX_AGE_MS },
    ],
    exceptions: maxAge === undefined
      ? firefoxCacheMisses([1, 2, 3])
      : [1, 2, 3].map((step) => ({ engine: 'firefox' as const, step, why: FIREFOX_INVALID_MAX_AGE, expect: { server: { preflight: {} } } })),
  })),
  {
    area: 'caching', name: 'the cache is keyed by header names', client: 'xhr',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowHeaders: 'X-Custom-Header', maxAge: '600' } }),
    steps: [
      { request: { ...GET_INCLUDE, headers: { 'X-Custom-Header': 'a' } }, expect: readable(preflightedHop('with-cookie', ['x-custom-header'])) },
      { request: { ...GET_INCLUDE, headers: { 'X-Other-Header': 'b' } }, expect: blocked('header-not-allowed', preflightedHop('not-sent', ['x-other-header'])) },
    ],
  },
  {
    area: 'caching', name: 'the cache is keyed by credentials mode', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowMethods: 'PUT', maxAge: '600' } }),
    steps: [
      { request: { method: 'PUT', credentials: 'omit' }, expect: readable(preflightedHop('without-cookie')) },
      { request: PUT_INCLUDE, expect: readable(preflightedHop('with-cookie')) },
    ],
  },
  {
    area: 'caching', name: 'a failed preflight is not cached', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowMethods: 'GET', maxAge: '600' } }),
    steps: twice(preflightFails('method-not-allowed'), preflightFails('method-not-allowed')),
  },
];

// ── revalidation: a stored CORS response, a conditional request, a 304 (WPT cors/304.htm) ───────
// `cache: 'no-cache'` makes the second fetch revalidate whatever the engine's freshness heuristics say.
const REVALIDATE: StepRequest = { ...GET_INCLUDE, cache: 'no-cache', readHeaders: ['X-Okta-Request-Id'] };
const stored = (): StepExpectation => readable(hop('with-cookie', { ifNoneMatch: null, answered: 200 }), { headers: { 'X-Okta-Request-Id': null } });
const revalidatedWith304 = hop('with-cookie', { ifNoneMatch: '"lab-v1"', answered: 304 });
const webkitStoresNothing = {
  engine: 'webkit' as const,
  step: 1,
  why: "WebKitGTK's MiniBrowser runs a private (ephemeral) session here, which stores no HTTP response: even `cache: 'force-cache'` went to the server again (measured), so nothing is revalidated; the second request goes unconditional and is answered 200",
  expect: { headers: { 'X-Okta-Request-Id': null }, server: { ifNoneMatch: null, answered: 200 } },
};
const revalidation: MatrixCase[] = [
  {
    area: 'caching', name: 'a 304 without CORS headers: the stored response stays readable', client: 'fetch',
    behaviour: (o) => ({ cors: credentialed(o), actual: { revalidate: { etag: 'lab-v1' } } }),
    // The body read after the 304 can only come from the engine's cache: the 304 has none.
    steps: [
      { request: REVALIDATE, expect: stored() },
      { request: REVALIDATE, expect: readable(revalidatedWith304, { headers: { 'X-Okta-Request-Id': null } }) },
    ],
    exceptions: [webkitStoresNothing],
  },
  {
    area: 'caching', name: 'a 304 with CORS headers can expose more headers', client: 'fetch',
    behaviour: (o) => ({
      cors: credentialed(o),
      actual: { revalidate: { etag: 'lab-v1', notModifiedCors: { ...credentialed(o), exposeHeaders: 'X-Okta-Request-Id' } } },
    }),
    // The 304's headers update the stored ones: its own X-Okta-Request-Id, now exposed, is what the page reads.
    steps: [
      { request: REVALIDATE, expect: stored() },
      { request: REVALIDATE, expect: readable(revalidatedWith304, { headers: { 'X-Okta-Request-Id': 'requestId' } }) },
    ],
    exceptions: [webkitStoresNothing],
  },
];

// ── Allow-Origin parsing ──────────────────────────────────────────────────────────────────────
const originParsing: MatrixCase[] = [
  {
    area: 'origin', name: 'wildcard with surrounding whitespace', client: 'fetch',
    behaviour: () => ({ cors: { allowOrigin: [' * '] } }),
    steps: one(GET_OMIT, readable(hop('without-cookie'))),
  },
  ...([
    ['malformed wildcard **', () => '**'],
    ['wildcard subdomain pattern', () => 'http://*.0.0.1'],
    ['a bare host and port', (o: MatrixOrigins) => o.page.replace(/^http:\/\//, '')],
  ] as const).map(([name, value]): MatrixCase => ({
    area: 'origin', name, client: 'fetch',
    behaviour: (o) => ({ cors: { allowOrigin: [value(o)] } }),
    steps: one(GET_OMIT, blocked('invalid-allow-origin', hop('without-cookie'))),
    exceptions: [firefoxSaysMismatch, webkitSaysMissing],
  })),
  ...([
    ['origin with a query', (o: MatrixOrigins) => `${o.page}?probe`],
    ['origin with a fragment', (o: MatrixOrigins) => `${o.page}#probe`],
    ['a full URL', (o: MatrixOrigins) => `${o.page}/probe.html`],
  ] as const).map(([name, value]): MatrixCase => ({
    area: 'origin', name, client: 'fetch',
    behaviour: (o) => ({ cors: { allowOrigin: [value(o)] } }),
    steps: one(GET_OMIT, blocked('allow-origin-mismatch', hop('without-cookie'))),
    exceptions: [webkitSaysMissing],
  })),
  {
    area: 'origin', name: 'two wildcard headers', client: 'fetch',
    behaviour: () => ({ cors: { allowOrigin: ['*', '*'] } }),
    steps: one(GET_OMIT, blocked('multiple-allow-origin', hop('without-cookie'))),
  },
];

// ── exposure ──────────────────────────────────────────────────────────────────────────────────
const exposure: MatrixCase[] = [
  {
    area: 'exposure', name: 'safelisted response headers are readable, others not', client: 'fetch',
    behaviour: (o) => ({ cors: credentialed(o) }),
    steps: one({ ...GET_INCLUDE, readHeaders: ['Content-Type', 'Content-Length', 'Vary'] }, readable(hop('with-cookie'), {
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': 'readable', Vary: null },
    })),
  },
  {
    area: 'exposure', name: 'expose-headers with whitespace and stray commas', client: 'xhr',
    behaviour: (o) => ({ cors: { ...credentialed(o), exposeHeaders: ' , x-okta-request-id ,,' } }),
    steps: one({ ...GET_INCLUDE, readHeaders: ['X-Okta-Request-Id'] }, readable(hop('with-cookie'), { headers: { 'X-Okta-Request-Id': 'requestId' } })),
  },
  {
    area: 'exposure', name: 'expose wildcard next to a name, with credentials: the name counts', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), exposeHeaders: '*, X-Okta-Request-Id' } }),
    steps: one({ ...GET_INCLUDE, readHeaders: ['X-Okta-Request-Id'] }, readable(hop('with-cookie'), { headers: { 'X-Okta-Request-Id': 'requestId' } })),
  },
  {
    area: 'exposure', name: 'Set-Cookie is not readable under expose wildcard', client: 'fetch',
    behaviour: () => ({ cors: { ...ANY, exposeHeaders: '*' }, actual: { setCookie: 'lab_wild=1; Path=/cors-lab' } }),
    steps: one({ ...GET_OMIT, readHeaders: ['Set-Cookie', 'X-Okta-Request-Id'] }, readable(hop('without-cookie'), { headers: { 'Set-Cookie': null, 'X-Okta-Request-Id': 'requestId' } })),
  },
];

// ── cookies set by CORS responses ─────────────────────────────────────────────────────────────
const cookies: MatrixCase[] = [
  {
    area: 'cookies', name: 'Set-Cookie with credentials include is stored', client: 'fetch',
    behaviour: (o) => ({ cors: credentialed(o), actual: { setCookie: 'lab_include=1; Path=/cors-lab' } }),
    steps: twice(readable(hop('with-cookie', { labCookies: [] })), readable(hop('with-cookie', { labCookies: ['lab_include'] })), GET_INCLUDE),
  },
  {
    area: 'cookies', name: 'Set-Cookie with credentials omit is ignored', client: 'fetch',
    behaviour: (o) => ({ cors: credentialed(o), actual: { setCookie: 'lab_omit=1; Path=/cors-lab' } }),
    steps: [
      { request: GET_OMIT, expect: readable(hop('without-cookie')) },
      { request: GET_INCLUDE, expect: readable(hop('with-cookie', { labCookies: [] })) },
    ],
  },
  {
    area: 'cookies', name: 'Set-Cookie on a redirect is stored and sent on the next hop', client: 'xhr',
    behaviour: (o) => ({ cors: credentialed(o), actual: { status: 302, redirect: { to: 'api' }, setCookie: 'lab_redirect=1; Path=/cors-lab' }, hops: [{ cors: credentialed(o) }] }),
    steps: one(GET_INCLUDE, readable({ ...hop('with-cookie', { labCookies: [] }), redirects: [hop('with-cookie', { labCookies: ['lab_redirect'] })] })),
  },
];

// ── request modes and contexts ────────────────────────────────────────────────────────────────
const modes: MatrixCase[] = [
  {
    area: 'modes', name: 'no-cors GET is opaque and sends no Origin', client: 'fetch',
    behaviour: () => ({}),
    steps: one({ ...GET_INCLUDE, mode: 'no-cors' }, { outcome: 'opaque', server: hop('with-cookie', { origin: 'absent' }) }),
  },
  {
    area: 'modes', name: 'same-origin mode refuses a cross-origin URL', client: 'fetch',
    behaviour: () => ({ cors: ANY }),
    steps: one({ ...GET_OMIT, mode: 'same-origin' }, blocked('disallowed-by-mode', hop('not-sent'))),
    exceptions: [{
      engine: 'webkit',
      why: 'WebKit prints only "Fetch API cannot load <url>." here: no reason and no CORS wording, so the catalog has nothing to name',
      expect: { reason: 'no-message' },
    }],
  },
  {
    area: 'modes', name: 'same-origin mode reads its own origin', client: 'fetch',
    behaviour: () => ({}),
    steps: one({ ...GET_INCLUDE, mode: 'same-origin', target: 'page' }, readable(hop('with-cookie', { origin: 'absent' }))),
  },
  {
    area: 'modes', name: 'same-origin mode refuses a redirect to another origin', client: 'fetch',
    behaviour: () => ({ actual: { status: 302, redirect: { to: 'api' } }, hops: [{ cors: ANY }] }),
    steps: one({ ...GET_INCLUDE, mode: 'same-origin', target: 'page' }, blocked('disallowed-by-mode', { ...hop('with-cookie', { origin: 'absent' }), redirects: [hop('not-sent')] })),
  },
  {
    area: 'modes', name: 'a data: URL frame has the null origin', client: 'fetch', context: 'data-iframe',
    behaviour: () => ({ cors: { allowOrigin: ['null'] } }),
    steps: one(GET_OMIT, readable(hop('without-cookie'))),
  },
  {
    area: 'modes', name: 'a data: URL frame is blocked when only the site is trusted', client: 'xhr', context: 'data-iframe',
    behaviour: (o) => ({ cors: { allowOrigin: [o.page] } }),
    steps: one(GET_OMIT, blocked('allow-origin-mismatch', hop('without-cookie'))),
    exceptions: [webkitSaysMissing],
  },
  {
    area: 'modes', name: 'a worker reads with credentials', client: 'fetch', context: 'worker',
    behaviour: (o) => ({ cors: credentialed(o) }),
    steps: one(GET_INCLUDE, readable(hop('with-cookie'))),
  },
  {
    area: 'modes', name: 'a worker is blocked without allow-origin', client: 'xhr', context: 'worker',
    behaviour: () => ({}),
    steps: one(GET_OMIT, blocked('missing-allow-origin', hop('without-cookie'))),
    exceptions: [
      {
        engine: 'chromium',
        why: 'Chromium prints the block message in the worker\'s console, which never reaches the page\'s console events (only the failed request does); the page still sees the failure',
        expect: { reason: 'no-message' },
      },
    ],
  },
  {
    area: 'modes', name: 'synchronous XHR reads with credentials', client: 'sync-xhr',
    behaviour: (o) => ({ cors: credentialed(o) }),
    steps: one(GET_INCLUDE, readable(hop('with-cookie'))),
  },
  {
    area: 'modes', name: 'synchronous XHR is blocked by a wildcard with credentials', client: 'sync-xhr',
    behaviour: () => ({ cors: ANY }),
    steps: one(GET_INCLUDE, blocked('wildcard-with-credentials', hop('with-cookie'))),
  },
  // A non-HTTP URL from an http page: no server ever sees it; the engine refuses it itself.
  {
    area: 'modes', name: 'XHR to a made-up scheme: CORS needs http(s)', client: 'xhr',
    behaviour: () => ({}),
    steps: one({ ...GET_OMIT, scheme: MADE_UP_SCHEME }, blocked('scheme-not-supported', hop('not-sent'))),
  },
  {
    area: 'modes', name: 'fetch to a made-up scheme: CORS needs http(s)', client: 'fetch',
    behaviour: () => ({}),
    steps: one({ ...GET_OMIT, scheme: MADE_UP_SCHEME }, blocked('scheme-not-supported', hop('not-sent'))),
    exceptions: [{
      engine: 'chromium',
      why: 'Chromium\'s fetch refuses the scheme before any CORS check, with no CORS words: "Fetch API cannot load x-probe://…. URL scheme "x-probe" is not supported." (its CORS wording, kCorsDisabledScheme, comes from XHR only)',
      expect: { reason: 'no-message' },
    }],
  },
  {
    area: 'modes', name: 'XHR to ftp: CORS needs http(s)', client: 'xhr',
    behaviour: () => ({}),
    steps: one({ ...GET_OMIT, scheme: 'ftp' }, blocked('scheme-not-supported', hop('not-sent'))),
    exceptions: [{
      engine: 'chromium',
      why: 'Chromium has dropped FTP: it refuses an ftp: URL before any CORS check, with no CORS words ("FTP is not supported.")',
      expect: { reason: 'no-message' },
    }],
  },
  {
    area: 'modes', name: 'XHR with user and password', client: 'xhr',
    behaviour: (o) => ({ cors: credentialed(o) }),
    steps: one({ ...GET_INCLUDE, user: 'lab-user', password: 'lab-password' }, readable(hop('with-cookie'))),
  },
];

export const WPT_CASES: MatrixCase[] = [...redirects, ...preflight, ...caching, ...revalidation, ...originParsing, ...exposure, ...cookies, ...modes];
