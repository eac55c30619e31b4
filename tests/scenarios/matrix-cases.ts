/**
 * The CORS conformance matrix as data: one entry per case. Each entry says how the CORS lab
 * answers (servers/okta-api/cors-lab), what the page requests, and what must follow:
 * readable or blocked, the reason code, and what the API must have received. An engine that
 * behaves otherwise is an explicit exception below its case, with the reason why.
 *
 * Adding a case is adding one entry; tests/scenarios/cors-matrix.spec.ts generates one test per entry.
 */
import type { LabBehaviour, LabSite } from '../../servers/okta-api/cors-lab/behaviour.js';
import type { EngineName } from '../framework/engines/engine.js';
import type { ProbeClient, ProbeContext, ProbeRequest } from '../pages/cors-probe-page.js';
import type { KnownReason } from '../framework/cors/reason-catalog.js';
import { firefoxCacheMisses, WPT_CASES } from './matrix-cases-wpt.js';

const AREAS = ['origin', 'credentials', 'preflight', 'caching', 'exposure', 'errors', 'sandbox', 'redirects', 'cookies', 'modes'] as const;
type Area = (typeof AREAS)[number];

/** Origins a behaviour can name; computed per worker from the running servers. */
export interface MatrixOrigins {
  /** The probe page's origin (the website the API trusts). */
  page: string;
  /** The same host on another port (the untrusted website). */
  otherPort: string;
}

export interface StepRequest {
  method: string;
  headers?: Record<string, string>;
  /** 'include': cookies go (and the case signs in first); 'omit': none go. */
  credentials: 'include' | 'omit';
  body?: string;
  /** Response headers the page tries to read. */
  readHeaders?: string[];
  /** Which site's lab the request goes to (default `api`: cross-origin; `page` is same-origin). */
  target?: LabSite;
  /** fetch's mode (default `cors`). */
  mode?: 'cors' | 'no-cors' | 'same-origin';
  /** XHR's open(…, user, password). */
  user?: string;
  password?: string;
  /** An XHR upload listener (forces a preflight). */
  uploadListener?: boolean;
  /** fetch's cache mode (default `default`). */
  cache?: ProbeRequest['cache'];
  /** Another scheme for the URL instead of `http` (a non-HTTP URL: no server sees the request). */
  scheme?: string;
}

/** The Origin header a hop receives: the page's origin, `null`, or none at all. */
export type OriginSent = 'page' | 'null' | 'absent';

/** What one hop's server received (hop 0 is the URL the page asked for; each redirect adds one). */
export interface HopServer {
  /**
   * Whether a preflight came, and then with which Access-Control-Request-Headers (exactly as sent)
   * and method. `'cache-may-miss'` (engine exceptions only, with evidence): an engine whose preflight
   * cache misses at random may send one or not; the case then needs at least one such step
   * served from the cache, or the cache never worked.
   */
  preflight: false | 'cache-may-miss' | { requestHeaders?: string[]; method?: string };
  /** Whether the request itself reached the hop, and with the session cookie or not. */
  actual: 'with-cookie' | 'without-cookie' | 'not-sent';
  /** Default: the page's origin (`null` from an opaque-origin context). */
  origin?: OriginSent;
  /** The method the request arrived with (default: the step's). */
  method?: string;
  /** Whether the request body arrived (checked only when given). */
  body?: 'sent' | 'dropped';
  /** The lab's own cookies (`lab_…`) the request carried, exactly (checked only when given). */
  labCookies?: string[];
  /** The If-None-Match the request carried, exactly (checked only when given; null: none). */
  ifNoneMatch?: string | null;
  /** The status the hop answered the request with (checked only when given): 304 for a revalidation. */
  answered?: number;
}

/** A header the page tried to read: its exact value, readable with any value, or not readable (null). */
type HeaderExpectation = string | 'readable' | null;

export interface StepExpectation {
  /** `opaque`: a no-cors response, unreadable without being an error. */
  outcome: 'readable' | 'blocked' | 'opaque';
  /** Required when blocked: the reason code the engine's message maps to, or `no-message` for an engine that prints none. */
  reason?: KnownReason | 'no-message';
  /** The status the page reads when readable (default 200). */
  status?: number;
  /** Headers the page tried to read and what it must get. `requestId` stands for X-Okta-Request-Id as the API sent it. */
  headers?: Record<string, HeaderExpectation | 'requestId'>;
  /** What the servers received for this step: hop 0, then one entry per redirect followed. */
  server: HopServer & { redirects?: HopServer[] };
}

export interface MatrixStep {
  /** Wait this long before the step: only where time itself is the behaviour (a cache's Max-Age expiring). */
  afterMs?: number;
  /**
   * The step expects a preflight-cache hit from an entry that lives this long (ms) after the
   * case's latest preflight. When more time passed (a slow machine), a new preflight is expected
   * instead, and the test says so (tests/framework/cors/cache-window.ts).
   */
  cacheWindowMs?: number;
  request: StepRequest;
  expect: StepExpectation;
}

export interface EngineException {
  engine: EngineName;
  /** Which step it concerns (default 0). */
  step?: number;
  /** Why this engine differs: what it does and why that is not a bug in the suite. */
  why: string;
  /** The parts of the step's expectation that differ for this engine. */
  expect: Partial<Omit<StepExpectation, 'server'>> & { server?: Partial<StepExpectation['server']> };
}

export interface MatrixCase {
  area: Area;
  /** Unique; also the lab's case name, so it must not change between capture and unit test. */
  name: string;
  client: ProbeClient;
  /** Where the requests run (default the page; `sandboxed` and `data-iframe` have an opaque origin: `Origin: null`). */
  context?: ProbeContext;
  behaviour: (origins: MatrixOrigins) => Omit<LabBehaviour, 'case'>;
  steps: MatrixStep[];
  exceptions?: EngineException[];
}

// Shorthands that keep the table readable.
const credentialed = (o: MatrixOrigins) => ({ allowOrigin: [o.page], allowCredentials: 'true' });
const GET_WITH_COOKIE: StepRequest = { method: 'GET', credentials: 'include' };
const GET_WITHOUT_COOKIE: StepRequest = { method: 'GET', credentials: 'omit' };
const readable = (actual: StepExpectation['server']['actual'] = 'with-cookie'): StepExpectation => ({
  outcome: 'readable',
  server: { preflight: false, actual },
});
const blocked = (reason: KnownReason, actual: StepExpectation['server']['actual'] = 'with-cookie'): StepExpectation => ({
  outcome: 'blocked',
  reason,
  server: { preflight: false, actual },
});
const one = (request: StepRequest, expect: StepExpectation): MatrixStep[] => [{ request, expect }];
const preflighted = (requestHeaders?: string[]): StepExpectation['server']['preflight'] =>
  requestHeaders === undefined ? {} : { requestHeaders };
const WEBKIT_ORIGIN_WORDING =
  'WebKit words a single ACAO value that does not match (another origin, `null`, empty) exactly like a missing header ("Origin X is not allowed by Access-Control-Allow-Origin."), so its message cannot tell them apart';

const BASE_CASES: MatrixCase[] = [
  // ── origin matching: exact, case-sensitive, one value ────────────────────────────────────
  {
    area: 'origin', name: 'exact origin is readable', client: 'xhr',
    behaviour: (o) => ({ cors: credentialed(o) }),
    steps: one(GET_WITH_COOKIE, readable()),
  },
  {
    area: 'origin', name: 'no allow-origin header', client: 'xhr',
    behaviour: () => ({ cors: { allowCredentials: 'true' } }),
    steps: one(GET_WITH_COOKIE, blocked('missing-allow-origin')),
  },
  {
    area: 'origin', name: 'other scheme (https)', client: 'xhr',
    behaviour: (o) => ({ cors: { allowOrigin: [o.page.replace(/^http:/, 'https:')], allowCredentials: 'true' } }),
    steps: one(GET_WITH_COOKIE, blocked('allow-origin-mismatch')),
    exceptions: [{ engine: 'webkit', why: WEBKIT_ORIGIN_WORDING, expect: { reason: 'missing-allow-origin' } }],
  },
  {
    area: 'origin', name: 'other port', client: 'xhr',
    behaviour: (o) => ({ cors: { allowOrigin: [o.otherPort], allowCredentials: 'true' } }),
    steps: one(GET_WITH_COOKIE, blocked('allow-origin-mismatch')),
    exceptions: [{ engine: 'webkit', why: WEBKIT_ORIGIN_WORDING, expect: { reason: 'missing-allow-origin' } }],
  },
  {
    area: 'origin', name: 'other host (localhost for 127.0.0.1)', client: 'xhr',
    behaviour: (o) => ({ cors: { allowOrigin: [o.page.replace('127.0.0.1', 'localhost')], allowCredentials: 'true' } }),
    steps: one(GET_WITH_COOKIE, blocked('allow-origin-mismatch')),
    exceptions: [{ engine: 'webkit', why: WEBKIT_ORIGIN_WORDING, expect: { reason: 'missing-allow-origin' } }],
  },
  {
    area: 'origin', name: 'trailing slash', client: 'xhr',
    behaviour: (o) => ({ cors: { allowOrigin: [`${o.page}/`], allowCredentials: 'true' } }),
    steps: one(GET_WITH_COOKIE, blocked('allow-origin-mismatch')),
    exceptions: [{ engine: 'webkit', why: WEBKIT_ORIGIN_WORDING, expect: { reason: 'missing-allow-origin' } }],
  },
  {
    area: 'origin', name: 'upper case', client: 'xhr',
    behaviour: (o) => ({ cors: { allowOrigin: [o.page.toUpperCase()], allowCredentials: 'true' } }),
    steps: one(GET_WITH_COOKIE, blocked('allow-origin-mismatch')),
    exceptions: [{ engine: 'webkit', why: WEBKIT_ORIGIN_WORDING, expect: { reason: 'missing-allow-origin' } }],
  },
  {
    area: 'origin', name: 'null', client: 'xhr',
    behaviour: () => ({ cors: { allowOrigin: ['null'], allowCredentials: 'true' } }),
    steps: one(GET_WITH_COOKIE, blocked('allow-origin-mismatch')),
    exceptions: [{ engine: 'webkit', why: WEBKIT_ORIGIN_WORDING, expect: { reason: 'missing-allow-origin' } }],
  },
  {
    area: 'origin', name: 'empty value', client: 'xhr',
    behaviour: () => ({ cors: { allowOrigin: [''], allowCredentials: 'true' } }),
    steps: one(GET_WITH_COOKIE, blocked('invalid-allow-origin')),
    exceptions: [
      { engine: 'firefox', why: 'Firefox compares the empty value with the origin and reports a mismatch ("does not match ‘’"); it has no separate wording for an invalid value', expect: { reason: 'allow-origin-mismatch' } },
      { engine: 'webkit', why: WEBKIT_ORIGIN_WORDING, expect: { reason: 'missing-allow-origin' } },
    ],
  },
  {
    area: 'origin', name: 'two allow-origin headers', client: 'xhr',
    behaviour: (o) => ({ cors: { allowOrigin: [o.page, o.page], allowCredentials: 'true' } }),
    steps: one(GET_WITH_COOKIE, blocked('multiple-allow-origin')),
  },
  {
    area: 'origin', name: 'comma-separated list', client: 'xhr',
    behaviour: (o) => ({ cors: { allowOrigin: [`${o.page}, ${o.otherPort}`], allowCredentials: 'true' } }),
    steps: one(GET_WITH_COOKIE, blocked('multiple-allow-origin')),
    exceptions: [{
      engine: 'firefox',
      why: 'Firefox reports "multiple" only for separate header lines; one line holding a comma list is compared as a whole and reported as a mismatch',
      expect: { reason: 'allow-origin-mismatch' },
    }],
  },
  {
    area: 'origin', name: 'whitespace around the exact origin', client: 'xhr',
    behaviour: (o) => ({ cors: { allowOrigin: [` ${o.page} `], allowCredentials: 'true' } }),
    steps: one(GET_WITH_COOKIE, readable()),
  },

  // ── credentials ───────────────────────────────────────────────────────────────────────────
  {
    area: 'credentials', name: 'wildcard without credentials is readable, and no cookie goes', client: 'fetch',
    behaviour: () => ({ cors: { allowOrigin: ['*'] } }),
    steps: one(GET_WITHOUT_COOKIE, readable('without-cookie')),
  },
  {
    area: 'credentials', name: 'wildcard with credentials', client: 'fetch',
    behaviour: () => ({ cors: { allowOrigin: ['*'], allowCredentials: 'true' } }),
    steps: one(GET_WITH_COOKIE, blocked('wildcard-with-credentials')),
  },
  {
    area: 'credentials', name: 'allow-credentials TRUE (upper case)', client: 'fetch',
    behaviour: (o) => ({ cors: { allowOrigin: [o.page], allowCredentials: 'TRUE' } }),
    steps: one(GET_WITH_COOKIE, blocked('allow-credentials-not-true')),
  },
  {
    area: 'credentials', name: 'allow-credentials 1', client: 'fetch',
    behaviour: (o) => ({ cors: { allowOrigin: [o.page], allowCredentials: '1' } }),
    steps: one(GET_WITH_COOKIE, blocked('allow-credentials-not-true')),
  },
  {
    area: 'credentials', name: 'allow-credentials missing', client: 'fetch',
    behaviour: (o) => ({ cors: { allowOrigin: [o.page] } }),
    steps: one(GET_WITH_COOKIE, blocked('allow-credentials-not-true')),
  },
  {
    area: 'credentials', name: 'exact origin without credentials needs no allow-credentials', client: 'xhr',
    behaviour: (o) => ({ cors: { allowOrigin: [o.page] } }),
    steps: one(GET_WITHOUT_COOKIE, readable('without-cookie')),
  },

  // ── preflight ─────────────────────────────────────────────────────────────────────────────
  {
    area: 'preflight', name: 'simple GET sends no preflight', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowMethods: 'GET' } }),
    steps: one({ ...GET_WITH_COOKIE, headers: { Accept: 'application/json' } }, readable()),
  },
  ...(['PUT', 'DELETE', 'PATCH'] as const).map((method): MatrixCase => ({
    area: 'preflight', name: `${method} sends a preflight without cookie`, client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowMethods: method } }),
    steps: one({ method, credentials: 'include' }, { outcome: 'readable', server: { preflight: preflighted(), actual: 'with-cookie' } }),
  })),
  {
    area: 'preflight', name: 'custom header sends a preflight', client: 'xhr',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowHeaders: 'X-Custom-Header' } }),
    steps: one(
      { method: 'GET', credentials: 'include', headers: { 'X-Custom-Header': 'probe' } },
      { outcome: 'readable', server: { preflight: preflighted(['x-custom-header']), actual: 'with-cookie' } },
    ),
  },
  {
    area: 'preflight', name: 'Authorization header sends a preflight', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowHeaders: 'Authorization' } }),
    steps: one(
      { method: 'GET', credentials: 'include', headers: { Authorization: 'SSWS probe' } },
      { outcome: 'readable', server: { preflight: preflighted(['authorization']), actual: 'with-cookie' } },
    ),
  },
  {
    area: 'preflight', name: 'JSON content type sends a preflight', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowHeaders: 'Content-Type' } }),
    steps: one(
      { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body: '{"probe":true}' },
      { outcome: 'readable', server: { preflight: preflighted(['content-type']), actual: 'with-cookie' } },
    ),
  },
  ...([301, 403, 500] as const).map((status): MatrixCase => ({
    area: 'preflight', name: `preflight status ${status}`, client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowMethods: 'PUT' }, preflight: { status } }),
    steps: one({ method: 'PUT', credentials: 'include' }, {
      outcome: 'blocked', reason: 'preflight-status-not-ok', server: { preflight: preflighted(), actual: 'not-sent' },
    }),
  })),
  {
    area: 'preflight', name: 'method not listed', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowMethods: 'GET, POST' } }),
    steps: one({ method: 'PUT', credentials: 'include' }, {
      outcome: 'blocked', reason: 'method-not-allowed', server: { preflight: preflighted(), actual: 'not-sent' },
    }),
  },
  {
    area: 'preflight', name: 'header not listed', client: 'xhr',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowHeaders: 'Content-Type' } }),
    steps: one({ method: 'GET', credentials: 'include', headers: { 'X-Custom-Header': 'probe' } }, {
      outcome: 'blocked', reason: 'header-not-allowed', server: { preflight: preflighted(['x-custom-header']), actual: 'not-sent' },
    }),
  },
  {
    area: 'preflight', name: 'wildcard methods without credentials', client: 'fetch',
    behaviour: () => ({ cors: { allowOrigin: ['*'], allowMethods: '*' } }),
    steps: one({ method: 'PUT', credentials: 'omit' }, {
      outcome: 'readable', server: { preflight: preflighted(), actual: 'without-cookie' },
    }),
  },
  {
    area: 'preflight', name: 'wildcard methods with credentials', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowMethods: '*' } }),
    steps: one({ method: 'PUT', credentials: 'include' }, {
      outcome: 'blocked', reason: 'method-not-allowed', server: { preflight: preflighted(), actual: 'not-sent' },
    }),
  },
  {
    area: 'preflight', name: 'wildcard headers without credentials', client: 'xhr',
    behaviour: () => ({ cors: { allowOrigin: ['*'], allowHeaders: '*' } }),
    steps: one({ method: 'GET', credentials: 'omit', headers: { 'X-Custom-Header': 'probe' } }, {
      outcome: 'readable', server: { preflight: preflighted(['x-custom-header']), actual: 'without-cookie' },
    }),
  },
  {
    area: 'preflight', name: 'wildcard headers with credentials', client: 'xhr',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowHeaders: '*' } }),
    steps: one({ method: 'GET', credentials: 'include', headers: { 'X-Custom-Header': 'probe' } }, {
      outcome: 'blocked', reason: 'header-not-allowed', server: { preflight: preflighted(['x-custom-header']), actual: 'not-sent' },
    }),
  },
  {
    area: 'preflight', name: 'wildcard headers do not cover Authorization (per the standard)', client: 'fetch',
    behaviour: () => ({ cors: { allowOrigin: ['*'], allowHeaders: '*' } }),
    steps: one({ method: 'GET', credentials: 'omit', headers: { Authorization: 'SSWS probe' } }, {
      outcome: 'blocked', reason: 'header-not-allowed', server: { preflight: preflighted(['authorization']), actual: 'not-sent' },
    }),
    // The Fetch standard excludes Authorization from the `*` wildcard; none of the engines here enforces it yet.
    exceptions: (['chromium', 'firefox', 'webkit'] as const).map((engine) => ({
      engine,
      why: {
        chromium: 'Chromium 156 still lets `*` cover Authorization (a deprecation it has not turned into a block); it prints nothing',
        firefox: 'Firefox 153 still lets `*` cover Authorization (pref network.cors_preflight.authorization_covered_by_wildcard defaults to true)',
        webkit: 'WebKitGTK 2.50 still lets `*` cover Authorization',
      }[engine],
      expect: { outcome: 'readable' as const, server: { actual: 'without-cookie' as const } },
    })),
  },
  {
    area: 'preflight', name: 'unparsable allow-methods', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowMethods: 'PUT, DEL ETE' } }),
    steps: one({ method: 'PUT', credentials: 'include' }, {
      outcome: 'blocked', reason: 'invalid-allow-methods', server: { preflight: preflighted(), actual: 'not-sent' },
    }),
  },
  {
    area: 'preflight', name: 'unparsable allow-headers', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowHeaders: 'X-Custom-Header, bad header' } }),
    steps: one({ method: 'GET', credentials: 'include', headers: { 'X-Custom-Header': 'probe' } }, {
      outcome: 'blocked', reason: 'invalid-allow-headers', server: { preflight: preflighted(['x-custom-header']), actual: 'not-sent' },
    }),
  },
  {
    area: 'preflight', name: 'redirected preflight', client: 'fetch',
    behaviour: (o) => ({
      cors: { ...credentialed(o), allowMethods: 'PUT' },
      // The target is this same case's hop 1, so a browser that followed would show in the log.
      preflight: { status: 307, redirect: { to: 'api' } },
    }),
    steps: one({ method: 'PUT', credentials: 'include' }, {
      outcome: 'blocked', reason: 'preflight-redirect-not-allowed', server: { preflight: preflighted(), actual: 'not-sent' },
    }),
    exceptions: [{
      engine: 'webkit',
      why: 'WebKit does not single out a redirect: it reports the 307 as a preflight status that is not ok ("Preflight response is not successful. Status code: 307")',
      expect: { reason: 'preflight-status-not-ok' },
    }],
  },

  // ── caching ───────────────────────────────────────────────────────────────────────────────
  {
    area: 'caching', name: 'max-age lets the second request go without a preflight', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowMethods: 'PUT', maxAge: '600' } }),
    steps: [
      { request: { method: 'PUT', credentials: 'include' }, expect: { outcome: 'readable', server: { preflight: preflighted(), actual: 'with-cookie' } } },
      { request: { method: 'PUT', credentials: 'include' }, expect: { outcome: 'readable', server: { preflight: false, actual: 'with-cookie' } } },
      // The third and fourth steps tell a cache that never works from one that misses (Firefox).
      { request: { method: 'PUT', credentials: 'include' }, expect: { outcome: 'readable', server: { preflight: false, actual: 'with-cookie' } } },
      { request: { method: 'PUT', credentials: 'include' }, expect: { outcome: 'readable', server: { preflight: false, actual: 'with-cookie' } } },
    ],
    exceptions: firefoxCacheMisses([1, 2, 3]),
  },
  {
    area: 'caching', name: 'a new method is not covered by the cached preflight', client: 'fetch',
    // The lab answers every preflight alike, listing PUT only: DELETE then needs (and fails) its own.
    behaviour: (o) => ({ cors: { ...credentialed(o), allowMethods: 'PUT', maxAge: '600' } }),
    steps: [
      { request: { method: 'PUT', credentials: 'include' }, expect: { outcome: 'readable', server: { preflight: preflighted(), actual: 'with-cookie' } } },
      { request: { method: 'DELETE', credentials: 'include' }, expect: { outcome: 'blocked', reason: 'method-not-allowed', server: { preflight: preflighted(), actual: 'not-sent' } } },
    ],
  },
  {
    area: 'caching', name: 'without max-age every request is preflighted', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), allowMethods: 'PUT', maxAge: '0' } }),
    steps: [
      { request: { method: 'PUT', credentials: 'include' }, expect: { outcome: 'readable', server: { preflight: preflighted(), actual: 'with-cookie' } } },
      { request: { method: 'PUT', credentials: 'include' }, expect: { outcome: 'readable', server: { preflight: preflighted(), actual: 'with-cookie' } } },
    ],
  },

  // ── exposure ──────────────────────────────────────────────────────────────────────────────
  {
    area: 'exposure', name: 'X-Okta-Request-Id is not readable unless exposed', client: 'xhr',
    behaviour: (o) => ({ cors: credentialed(o) }),
    steps: one({ ...GET_WITH_COOKIE, readHeaders: ['X-Okta-Request-Id', 'Content-Type'] }, {
      ...readable(), headers: { 'X-Okta-Request-Id': null, 'Content-Type': 'application/json; charset=utf-8' },
    }),
  },
  {
    area: 'exposure', name: 'X-Okta-Request-Id is readable when exposed', client: 'fetch',
    behaviour: (o) => ({ cors: { ...credentialed(o), exposeHeaders: 'X-Okta-Request-Id' } }),
    steps: one({ ...GET_WITH_COOKIE, readHeaders: ['X-Okta-Request-Id'] }, {
      ...readable(), headers: { 'X-Okta-Request-Id': 'requestId' },
    }),
  },
  {
    area: 'exposure', name: 'Set-Cookie is never readable, even when exposed', client: 'fetch',
    behaviour: (o) => ({
      cors: { ...credentialed(o), exposeHeaders: 'Set-Cookie, X-Okta-Request-Id' },
      actual: { setCookie: 'lab_probe=1; Path=/cors-lab; SameSite=Lax' },
    }),
    steps: one({ ...GET_WITH_COOKIE, readHeaders: ['Set-Cookie', 'X-Okta-Request-Id'] }, {
      ...readable(), headers: { 'Set-Cookie': null, 'X-Okta-Request-Id': 'requestId' },
    }),
  },
  {
    area: 'exposure', name: 'expose wildcard without credentials exposes all', client: 'fetch',
    behaviour: () => ({ cors: { allowOrigin: ['*'], exposeHeaders: '*' } }),
    steps: one({ ...GET_WITHOUT_COOKIE, readHeaders: ['X-Okta-Request-Id'] }, {
      ...readable('without-cookie'), headers: { 'X-Okta-Request-Id': 'requestId' },
    }),
  },
  {
    area: 'exposure', name: 'expose wildcard with credentials exposes nothing', client: 'xhr',
    behaviour: (o) => ({ cors: { ...credentialed(o), exposeHeaders: '*' } }),
    steps: one({ ...GET_WITH_COOKIE, readHeaders: ['X-Okta-Request-Id'] }, {
      ...readable(), headers: { 'X-Okta-Request-Id': null },
    }),
  },

  // ── error responses ───────────────────────────────────────────────────────────────────────
  {
    area: 'errors', name: '403 with CORS headers is readable', client: 'xhr',
    behaviour: (o) => ({ cors: credentialed(o), actual: { status: 403 } }),
    steps: one(GET_WITH_COOKIE, { ...readable(), status: 403 }),
  },
  {
    area: 'errors', name: '403 without CORS headers is status 0', client: 'fetch',
    behaviour: () => ({ actual: { status: 403 } }),
    steps: one(GET_WITH_COOKIE, blocked('missing-allow-origin')),
  },
  {
    area: 'errors', name: '500 with CORS headers is readable', client: 'fetch',
    behaviour: (o) => ({ cors: credentialed(o), actual: { status: 500 } }),
    steps: one(GET_WITH_COOKIE, { ...readable(), status: 500 }),
  },

  // ── the null origin of a sandboxed iframe ──────────────────────────────────────────────────
  {
    area: 'sandbox', name: 'sandboxed iframe is blocked when only the site is trusted', client: 'fetch', context: 'sandboxed',
    behaviour: (o) => ({ cors: { allowOrigin: [o.page] } }),
    steps: one(GET_WITHOUT_COOKIE, blocked('allow-origin-mismatch', 'without-cookie')),
    exceptions: [{ engine: 'webkit', why: WEBKIT_ORIGIN_WORDING, expect: { reason: 'missing-allow-origin' } }],
  },
  {
    area: 'sandbox', name: 'sandboxed iframe is readable when null is trusted', client: 'xhr', context: 'sandboxed',
    behaviour: () => ({ cors: { allowOrigin: ['null'] } }),
    steps: one(GET_WITHOUT_COOKIE, readable('without-cookie')),
  },
];

export const MATRIX_CASES: MatrixCase[] = [...BASE_CASES, ...WPT_CASES];

/** A step's expectation for one engine: the table's, with that engine's exception applied. */
export function expectationFor(matrixCase: MatrixCase, stepIndex: number, engine: EngineName): StepExpectation {
  const step = matrixCase.steps[stepIndex];
  if (step === undefined) throw new Error(`${matrixCase.name}: no step ${stepIndex}`);
  const exception = matrixCase.exceptions?.find((e) => e.engine === engine && (e.step ?? 0) === stepIndex);
  if (exception === undefined) return step.expect;
  const { server, ...rest } = exception.expect;
  return { ...step.expect, ...rest, server: { ...step.expect.server, ...server } };
}

export function exceptionsFor(matrixCase: MatrixCase, engine: EngineName): EngineException[] {
  return (matrixCase.exceptions ?? []).filter((e) => e.engine === engine);
}
